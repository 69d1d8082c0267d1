package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"

	"rostrum/internal/apiclient"
	"rostrum/internal/mailtest"
)

// approvedParticipants registers n representatives (one organization each,
// of every stakeholder type) and approves them in bulk.
func approvedParticipants(admin *apiclient.Client, slug string, n int) ([]uint, error) {
	anon := apiclient.New(admin.Base, 8)
	ids := make([]uint, 0, n)
	for i := 0; i < n; i++ {
		var reg struct {
			ID uint `json:"id"`
		}
		anon.Reconnect() // each representative registers from an address of their own
		if _, err := anon.Do("POST", "/api/meetings/"+slug+"/registrations", registrationBody(slug, i, i), &reg); err != nil {
			return nil, fmt.Errorf("register %d: %w", i, err)
		}
		ids = append(ids, reg.ID)
	}
	for i := 0; i < len(ids); i += 200 {
		chunk := ids[i:min(i+200, len(ids))]
		if _, err := admin.Do("POST", "/api/meetings/"+slug+"/registrations/decisions",
			map[string]any{"ids": chunk, "decision": "approve", "reason": "load test"}, nil); err != nil {
			return nil, fmt.Errorf("approve: %w", err)
		}
	}
	return ids, nil
}

// SummaryAtScale records a meeting of `interventions` interventions with
// notes by `orgs` organizations over six agenda items through the API,
// then times building the draft and fetching each document.
func SummaryAtScale(ctx context.Context, srv *Server, interventions, orgs int) (*Table, error) {
	admin := apiclient.New(srv.URL, 4)
	if err := admin.Login(adminEmail, adminPassword); err != nil {
		return nil, err
	}
	slug, err := createMeeting(admin, "summary", 0, 0, "attributed")
	if err != nil {
		return nil, err
	}
	regs, err := approvedParticipants(admin, slug, orgs)
	if err != nil {
		return nil, err
	}
	themes := []string{"Existing and potential threats", "International law", "Rules, norms and principles",
		"Confidence-building measures", "Capacity-building", "Regular institutional dialogue"}
	var items []uint
	for _, th := range themes {
		var it struct {
			ID uint `json:"id"`
		}
		if _, err := admin.Do("POST", "/api/meetings/"+slug+"/agenda", map[string]any{"title": th, "speaking_time_seconds": 180}, &it); err != nil {
			return nil, err
		}
		items = append(items, it.ID)
	}
	start := time.Now()
	stop := Progress(2*time.Second, func() string { return "recording the meeting…" })
	var last, lastItem uint
	for i := 0; i < interventions && ctx.Err() == nil; i++ {
		item := items[i*len(items)/interventions]
		if i == 0 || items[(i-1)*len(items)/interventions] != item {
			if last != 0 { // end the previous item's last speech first
				if _, err := admin.Do("POST", fmt.Sprintf("/api/meetings/%s/agenda/%d/speakers/%d/stop", slug, lastItem, last), nil, nil); err != nil {
					stop()
					return nil, fmt.Errorf("stop %d: %w", last, err)
				}
			}
			if _, err := admin.Do("POST", "/api/meetings/"+slug+"/current", map[string]any{"item_id": item}, nil); err != nil {
				stop()
				return nil, err
			}
		}
		var add struct {
			Speaker struct {
				ID uint `json:"id"`
			} `json:"speaker"`
		}
		if _, err := admin.Do("POST", fmt.Sprintf("/api/meetings/%s/agenda/%d/speakers", slug, item),
			map[string]any{"registration_id": regs[i%len(regs)], "kind": "statement"}, &add); err != nil {
			stop()
			return nil, fmt.Errorf("add speaker %d: %w", i, err)
		}
		if _, err := admin.Do("POST", fmt.Sprintf("/api/meetings/%s/agenda/%d/next", slug, item), nil, nil); err != nil {
			stop()
			return nil, fmt.Errorf("next %d: %w", i, err)
		}
		last, lastItem = add.Speaker.ID, item
		note := map[string]any{
			"text":       fmt.Sprintf("The speaker stressed point %d on %s and called for practical steps, including a shared repository of national views.", i, themes[i*len(themes)/interventions]),
			"key_points": []string{"shared repository", fmt.Sprintf("capacity gap %d", i%7)},
		}
		if _, err := admin.Do("PUT", fmt.Sprintf("/api/meetings/%s/speakers/%d/note", slug, add.Speaker.ID), note, nil); err != nil {
			stop()
			return nil, fmt.Errorf("note %d: %w", i, err)
		}
	}
	stop()
	recorded := time.Since(start)

	t := &Table{Title: fmt.Sprintf("Chair's summary: %d interventions with notes, %d organizations", interventions, orgs)}
	t.Add("recording through the API", "%s", recorded.Round(time.Millisecond))
	t0 := time.Now()
	var v struct {
		Version int `json:"version"`
	}
	if _, err := admin.Do("POST", "/api/meetings/"+slug+"/summary", nil, &v); err != nil {
		return nil, err
	}
	draft := time.Since(t0)
	t.Add("build the draft (POST …/summary)", "%s", ms(draft))
	total := draft
	for _, format := range []string{"md", "html", "pdf", "docx"} {
		t0 := time.Now()
		size, err := fetch(admin, fmt.Sprintf("/api/meetings/%s/summary/%d.%s", slug, v.Version, format))
		if err != nil {
			return nil, err
		}
		d := time.Since(t0)
		total += d
		t.Add("render "+format, "%s (%d KB)", ms(d), size/1024)
	}
	t.Add("draft and all four documents", "%s", ms(total))
	return t, nil
}

func fetch(c *apiclient.Client, path string) (int, error) {
	req, err := http.NewRequest("GET", c.Base+path, nil)
	if err != nil {
		return 0, err
	}
	res, err := c.HTTP.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	n, err := io.Copy(io.Discard, res.Body)
	if res.StatusCode != 200 {
		return 0, fmt.Errorf("GET %s: status %d", path, res.StatusCode)
	}
	return int(n), err
}

// Circulation circulates an approved summary to n approved participants
// through a local SMTP server the tool runs, and times it until every
// recipient has the message, checking each got exactly one.
func Circulation(ctx context.Context, srv *Server, mail *mailtest.Server, n int) (*Table, error) {
	admin := apiclient.New(srv.URL, 4)
	if err := admin.Login(adminEmail, adminPassword); err != nil {
		return nil, err
	}
	slug, err := createMeeting(admin, "circulation", 0, 0, "chatham_house")
	if err != nil {
		return nil, err
	}
	if _, err := admin.Do("POST", "/api/meetings/"+slug+"/agenda", map[string]any{"title": "International law"}, nil); err != nil {
		return nil, err
	}
	fmt.Fprintf(os.Stderr, "  registering and approving %d participants…\n", n)
	if _, err := approvedParticipants(admin, slug, n); err != nil {
		return nil, err
	}
	// Registration and decision mail goes first; wait for it, then count
	// only the circulation.
	if _, err := mail.Wait(ctx, 2*n); err != nil {
		return nil, fmt.Errorf("registration mail: %w", err)
	}
	base := mail.Count()
	if _, err := admin.Do("POST", "/api/meetings/"+slug+"/summary", nil, nil); err != nil {
		return nil, err
	}
	if _, err := admin.Do("POST", "/api/meetings/"+slug+"/summary/1/approve", nil, nil); err != nil {
		return nil, err
	}
	start := time.Now()
	var c struct {
		ID    uint `json:"id"`
		Total int  `json:"total"`
	}
	if _, err := admin.Do("POST", "/api/meetings/"+slug+"/summary/1/circulate", map[string]any{"extra": []string{}}, &c); err != nil {
		return nil, err
	}
	accepted := time.Since(start)
	stop := Progress(time.Second, func() string { return fmt.Sprintf("circulation: %d of %d delivered", mail.Count()-base, c.Total) })
	wctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	_, err = mail.Wait(wctx, base+c.Total)
	stop()
	if err != nil {
		return nil, fmt.Errorf("circulation: %d of %d delivered: %w", mail.Count()-base, c.Total, err)
	}
	all := time.Since(start)
	perRecipient := map[string]map[string]bool{}
	for _, m := range mail.Messages()[base:] {
		for _, to := range m.To {
			if perRecipient[to] == nil {
				perRecipient[to] = map[string]bool{}
			}
			perRecipient[to][m.MessageID] = true
		}
	}
	wrong := 0
	for _, ids := range perRecipient {
		if len(ids) != 1 {
			wrong++
		}
	}
	t := &Table{Title: fmt.Sprintf("Circulation: %d recipients, PDF attached, local SMTP server", c.Total)}
	t.Add("circulate request answered", "%s", ms(accepted))
	t.Add("all delivered", "%s (%.0f messages/s)", all.Round(time.Millisecond), float64(c.Total)/all.Seconds())
	t.Add("recipients with exactly one message", "%d of %d  %s", len(perRecipient)-wrong, c.Total, okIf(wrong == 0 && len(perRecipient) == c.Total))
	t.Add("repeated Message-IDs", "%d", len(mail.Duplicates()))
	if wrong > 0 || len(perRecipient) != c.Total {
		t.Print(os.Stdout)
		return t, fmt.Errorf("circulation: not exactly one message per recipient")
	}
	return t, nil
}
