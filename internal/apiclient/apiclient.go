// Package apiclient is a small client of Rostrum's JSON API for tools (the
// load tool) that drive a running server from outside: a cookie jar for
// the staff session, the CSRF header, and a participant's bearer token.
package apiclient

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"time"
)

// Client talks to one server.
type Client struct {
	Base   string
	HTTP   *http.Client
	CSRF   string
	Bearer string
}

// New returns a client for base (e.g. http://127.0.0.1:8080) with its own
// cookie jar; conns is the size of its keep-alive pool.
func New(base string, conns int) *Client {
	jar, _ := cookiejar.New(nil)
	tr := &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 10 * time.Second}).DialContext,
		MaxIdleConns:        conns,
		MaxIdleConnsPerHost: conns,
		IdleConnTimeout:     90 * time.Second,
	}
	return &Client{Base: base, HTTP: &http.Client{Jar: jar, Transport: tr, Timeout: 60 * time.Second}}
}

// Error is a non-2xx answer.
type Error struct {
	Status int
	Body   string
}

func (e *Error) Error() string { return fmt.Sprintf("status %d: %s", e.Status, e.Body) }

// Do sends body (JSON-encoded unless nil) and decodes a 2xx answer into out
// (when not nil). A non-2xx answer is returned as *Error.
func (c *Client) Do(method, path string, body, out any) (int, error) {
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, err
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.Base+path, r)
	if err != nil {
		return 0, err
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
	res, err := c.HTTP.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return res.StatusCode, err
	}
	if res.StatusCode/100 != 2 {
		return res.StatusCode, &Error{Status: res.StatusCode, Body: string(b)}
	}
	if out != nil && len(b) > 0 {
		if err := json.Unmarshal(b, out); err != nil {
			return res.StatusCode, fmt.Errorf("decode %s %s: %w", method, path, err)
		}
	}
	return res.StatusCode, nil
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
