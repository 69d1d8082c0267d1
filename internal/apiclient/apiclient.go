// Package apiclient is a small client of Rostrum's JSON API for what
// drives a server from outside (the load tool, the faults suite, and
// internal/testenv's test clients): a cookie jar for the staff session,
// the CSRF header, and a participant's bearer token.
package apiclient

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"time"

	"rostrum/internal/loopback"
)

// Client talks to one server.
type Client struct {
	Base   string
	HTTP   *http.Client
	CSRF   string
	Bearer string
}

// New returns a client for base (e.g. http://127.0.0.1:8080) with its own
// cookie jar; conns is the size of its keep-alive pool. Each connection
// comes from a loopback address of its own (internal/loopback), so that a
// server with its shipped per-address limits counts the client's
// connections as different people; Reconnect moves to new ones.
func New(base string, conns int) *Client {
	jar, _ := cookiejar.New(nil)
	tr := &http.Transport{
		DialContext:         loopback.DialContext,
		MaxIdleConns:        conns,
		MaxIdleConnsPerHost: conns,
		IdleConnTimeout:     90 * time.Second,
	}
	return &Client{Base: base, HTTP: &http.Client{Jar: jar, Transport: tr, Timeout: 60 * time.Second}}
}

// Reconnect closes the client's idle connections, so that its next
// request comes from a new address: another person, for the server's
// per-address throttles.
func (c *Client) Reconnect() { c.HTTP.CloseIdleConnections() }

// Error is a non-2xx answer.
type Error struct {
	Status int
	Body   string
}

func (e *Error) Error() string { return fmt.Sprintf("status %d: %s", e.Status, e.Body) }

// Response is an answer, read in full.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Send sends a request and returns the answer, whatever its status. body
// may be nil, []byte or a string (sent as they are, with the JSON content
// type) or any other value (encoded as JSON). headers are set last, so
// they override the defaults; an empty value removes one. When the body
// of the answer cannot be read, Send returns the answer without it, and
// the error.
func (c *Client) Send(method, path string, body any, headers map[string]string) (*Response, error) {
	var r io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		r = bytes.NewReader(b)
	case string:
		r = strings.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			return nil, err
		}
		r = bytes.NewReader(j)
	}
	req, err := http.NewRequest(method, c.Base+path, r)
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.CSRF != "" {
		req.Header.Set("X-CSRF-Token", c.CSRF)
	}
	if c.Bearer != "" {
		req.Header.Set("Authorization", "Bearer "+c.Bearer)
	}
	for k, v := range headers {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	res, err := c.HTTP.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	out := &Response{Status: res.StatusCode, Header: res.Header}
	if out.Body, err = io.ReadAll(res.Body); err != nil {
		return out, err
	}
	return out, nil
}

// Do sends body (as Send does) and decodes a 2xx answer into out (when
// not nil). A non-2xx answer is returned as *Error.
func (c *Client) Do(method, path string, body, out any) (int, error) {
	res, err := c.Send(method, path, body, nil)
	if err != nil {
		if res != nil {
			return res.Status, err
		}
		return 0, err
	}
	if res.Status/100 != 2 {
		return res.Status, &Error{Status: res.Status, Body: string(res.Body)}
	}
	if out != nil && len(res.Body) > 0 {
		if err := json.Unmarshal(res.Body, out); err != nil {
			return res.Status, fmt.Errorf("decode %s %s: %w", method, path, err)
		}
	}
	return res.Status, nil
}

// Login opens a staff session.
func (c *Client) Login(email, password string) error {
	var out struct {
		CSRF string `json:"csrf_token"`
	}
	if _, err := c.Do("POST", "/api/login", map[string]string{"email": email, "password": password}, &out); err != nil {
		return fmt.Errorf("login %s: %w", email, err)
	}
	c.CSRF = out.CSRF
	return nil
}

// CookieHeader is the Cookie header c's jar holds for its server ("" when
// it holds none), for clients that dial with another library (websockets).
func (c *Client) CookieHeader() string {
	u, err := url.Parse(c.Base)
	if err != nil || c.HTTP.Jar == nil {
		return ""
	}
	var parts []string
	for _, ck := range c.HTTP.Jar.Cookies(u) {
		parts = append(parts, ck.Name+"="+ck.Value)
	}
	return strings.Join(parts, "; ")
}

// LiveURL is the live list's websocket address of meeting slug on the
// server at base (http://host:port), with token when it is not "".
func LiveURL(base, slug, token string) string {
	u := "ws" + strings.TrimPrefix(base, "http") + "/ws/meetings/" + slug
	if token != "" {
		u += "?token=" + url.QueryEscape(token)
	}
	return u
}
