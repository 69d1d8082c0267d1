// Package auth holds staff accounts, their sessions and CSRF tokens, and
// the secret tokens that identify participants. Sessions are stored in the
// database so that any server instance can answer any request.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/mail"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"

	"rostrum/apperr"
	"rostrum/models"
)

// NewToken returns a random URL-safe secret of 256 bits.
func NewToken() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// HashToken returns the hex SHA-256 of a token, the form tokens are looked
// up by.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// EqualTokens compares two secrets in constant time.
func EqualTokens(a, b string) bool {
	return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

// Actor is whoever makes a request: a staff user, a participant (by their
// registration's token), or nobody.
type Actor struct {
	User         *models.User
	Registration *models.Registration
	CSRFToken    string
	// SessionHash is the hash of the staff session's token, so that a
	// long-lived connection can ask whether its session is still open
	// (see Service.Current).
	SessionHash string
}

// IsStaff reports whether the actor is logged in with one of roles (any
// role when none are given).
func (a Actor) IsStaff(roles ...string) bool {
	if a.User == nil {
		return false
	}
	if len(roles) == 0 {
		return true
	}
	for _, r := range roles {
		if a.User.Role == r {
			return true
		}
	}
	return false
}

// Label names the actor for audit logs, never exposing a token.
func (a Actor) Label() string {
	switch {
	case a.User != nil:
		return "staff:" + a.User.Email
	case a.Registration != nil:
		return "participant:" + a.Registration.Email
	default:
		return "anonymous"
	}
}

// Service manages staff accounts and sessions.
type Service struct {
	DB  *gorm.DB
	TTL time.Duration
	// Cost is bcrypt's work factor; tests lower it.
	Cost int
	// Participants reads a participant's registration again (package
	// registration owns them).
	Participants Participants
	// PublicURL is where the links in mail point (reset links).
	PublicURL string
	// Notify, when set, is called after a transaction that queued mail.
	Notify func()
}

// Participants is what auth asks of the registrations: the registration
// whose token has hash, with its organization and meeting, or nil.
type Participants interface {
	ByTokenHash(ctx context.Context, hash string) (*models.Registration, error)
}

// NewService returns a Service with sessions lasting ttl, reading
// participants from participants.
func NewService(db *gorm.DB, ttl time.Duration, participants Participants) *Service {
	return &Service{DB: db, TTL: ttl, Cost: bcrypt.DefaultCost, Participants: participants}
}

// NewUserInput is what it takes to create a staff account.
type NewUserInput struct {
	Email    string `json:"email"`
	Name     string `json:"name"`
	Role     string `json:"role"`
	Password string `json:"password"`
}

// CreateUser validates in and stores a new staff account.
func (s *Service) CreateUser(ctx context.Context, in NewUserInput) (*models.User, error) {
	f := apperr.Fields{}
	email := strings.ToLower(strings.TrimSpace(in.Email))
	if a, err := mail.ParseAddress(email); err != nil || a.Address != email {
		f.Say("email", "err.auth.email")
	}
	if !models.ValidRole(in.Role) {
		f.Say("role", "err.auth.role")
	}
	if m := passwordProblem(in.Password, email); m.ID != "" {
		f.Say("password", m.ID, m.Args...)
	}
	if len(in.Name) > 200 {
		f.Say("name", "err.auth.name_long")
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(in.Password), s.Cost)
	if err != nil {
		return nil, err
	}
	u := &models.User{Email: email, Name: strings.TrimSpace(in.Name), Role: in.Role, PasswordHash: string(hash)}
	if err := s.DB.WithContext(ctx).Create(u).Error; err != nil {
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return nil, apperr.Say(apperr.KindConflict, "err.auth.email_taken", "Email", email)
		}
		return nil, err
	}
	return u, nil
}

// EnsureAdmin creates an admin with email and password when no staff
// account exists yet. It reports whether it created one.
func (s *Service) EnsureAdmin(ctx context.Context, email, password string) (bool, error) {
	if email == "" {
		return false, nil
	}
	var n int64
	if err := s.DB.WithContext(ctx).Model(&models.User{}).Count(&n).Error; err != nil {
		return false, err
	}
	if n > 0 {
		return false, nil
	}
	_, err := s.CreateUser(ctx, NewUserInput{Email: email, Name: "Secretariat", Role: models.RoleAdmin, Password: password})
	if apperr.Is(err, apperr.KindConflict) {
		return false, nil
	}
	return err == nil, err
}

// dummyHash keeps the time of a login for an unknown email close to that of
// a known one.
var dummyHash, _ = bcrypt.GenerateFromPassword([]byte("not a password"), bcrypt.DefaultCost)

// Login checks the credentials and opens a session. It returns the session
// token (for the cookie) and the session with its CSRF token and user.
func (s *Service) Login(ctx context.Context, email, password string) (string, *models.Session, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	var u models.User
	err := s.DB.WithContext(ctx).Where("email = ?", email).First(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		_ = bcrypt.CompareHashAndPassword(dummyHash, []byte(password))
		return "", nil, apperr.Say(apperr.KindUnauthorized, "err.auth.wrong_login")
	}
	if err != nil {
		return "", nil, err
	}
	if bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(password)) != nil {
		return "", nil, apperr.Say(apperr.KindUnauthorized, "err.auth.wrong_login")
	}
	if u.Disabled {
		return "", nil, apperr.Say(apperr.KindUnauthorized, "err.auth.disabled")
	}
	token := NewToken()
	sess := &models.Session{
		TokenHash: HashToken(token),
		UserID:    u.ID,
		CSRFToken: NewToken(),
		ExpiresAt: time.Now().UTC().Add(s.TTL),
	}
	if err := s.DB.WithContext(ctx).Create(sess).Error; err != nil {
		return "", nil, err
	}
	sess.User = u
	return token, sess, nil
}

// Session returns the live session for a cookie token, or nil.
func (s *Service) Session(ctx context.Context, token string) (*models.Session, error) {
	if token == "" {
		return nil, nil
	}
	var sess models.Session
	err := s.DB.WithContext(ctx).Preload("User").
		Where("token_hash = ? AND expires_at > ?", HashToken(token), time.Now().UTC()).
		First(&sess).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &sess, nil
}

// Current returns who a is now, for a connection that outlives the
// request that identified it (a websocket): a staff actor's session must
// still exist and not have expired, a participant's registration must
// still exist; both are read again, so a changed role or status counts.
// An actor whose session or registration has gone comes back as nobody
// (the zero Actor). Each is one lookup by a unique, indexed token hash.
func (s *Service) Current(ctx context.Context, a Actor) (Actor, error) {
	switch {
	case a.User != nil:
		var sess models.Session
		err := s.DB.WithContext(ctx).Preload("User").
			Where("token_hash = ? AND expires_at > ?", a.SessionHash, time.Now().UTC()).
			First(&sess).Error
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return Actor{}, nil
		}
		if err != nil {
			return Actor{}, err
		}
		return Actor{User: &sess.User, CSRFToken: sess.CSRFToken, SessionHash: a.SessionHash}, nil
	case a.Registration != nil:
		r, err := s.Participants.ByTokenHash(ctx, a.Registration.TokenHash)
		if err != nil || r == nil {
			return Actor{}, err
		}
		return Actor{Registration: r}, nil
	}
	return a, nil
}

// UserByEmail returns the staff account of email.
func (s *Service) UserByEmail(ctx context.Context, email string) (*models.User, error) {
	var u models.User
	if err := s.DB.WithContext(ctx).Where("email = ?", strings.ToLower(strings.TrimSpace(email))).First(&u).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, apperr.Say(apperr.KindNotFound, "err.auth.no_account", "Account", email)
		}
		return nil, err
	}
	return &u, nil
}

// Logout ends the session of token.
func (s *Service) Logout(ctx context.Context, token string) error {
	return s.DB.WithContext(ctx).Where("token_hash = ?", HashToken(token)).Delete(&models.Session{}).Error
}
