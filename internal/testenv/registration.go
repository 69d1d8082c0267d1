package testenv

import "strings"

// RegistrationBody is a valid registration (JSON body) of name, with email,
// for the NGO org in Kenya.
func RegistrationBody(org, name, email string) map[string]any {
	return map[string]any{
		"organization": map[string]any{"name": org, "acronym": "", "type": "ngo", "country": "KE", "website": "", "ecosoc_status": "none"},
		"name":         name, "email": email, "job_title": "Policy officer", "consent": true,
	}
}

// Registered is the answer to a registration.
type Registered struct {
	ID        uint   `json:"id"`
	Status    string `json:"status"`
	ManageURL string `json:"manage_url"`
}

// Token is the participant's secret from the manage link.
func (r Registered) Token() string { return r.ManageURL[strings.LastIndex(r.ManageURL, "/r/")+3:] }
