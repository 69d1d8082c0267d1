package mailtest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"math/big"
	"net"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Option configures a Server at Start.
type Option func(*Server)

// WithAuth makes the server require SMTP AUTH PLAIN with these
// credentials before it accepts mail.
func WithAuth(username, password string) Option {
	return func(s *Server) { s.user, s.pass = username, password }
}

// WithStartTLS makes the server offer STARTTLS with a self-signed
// certificate for 127.0.0.1; ClientTLSConfig trusts it.
func WithStartTLS() Option {
	return func(s *Server) { s.tlsMode = "starttls" }
}

// WithImplicitTLS makes the server speak TLS from the first byte (SMTPS,
// like port 465) with a self-signed certificate; ClientTLSConfig trusts it.
func WithImplicitTLS() Option {
	return func(s *Server) { s.tlsMode = "tls" }
}

// ClientTLSConfig is a client configuration that trusts the server's
// certificate (nil when the server does not use TLS).
func (s *Server) ClientTLSConfig() *tls.Config {
	if s.tlsConf == nil {
		return nil
	}
	return &tls.Config{RootCAs: s.roots, ServerName: s.host, MinVersion: tls.VersionTLS12}
}

// selfSigned makes a certificate for 127.0.0.1 valid for the test.
func selfSigned(t testing.TB) (*tls.Config, *x509.CertPool) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "mailtest"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
		DNSNames:              []string{"localhost"},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}, MinVersion: tls.VersionTLS12}, pool
}

var errAuthRequired = &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0}, Message: "Authentication required"}

// AuthMechanisms is offered only when the server requires AUTH.
func (ss *session) AuthMechanisms() []string {
	if ss.s.user == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (ss *session) Auth(mech string) (sasl.Server, error) {
	if mech != sasl.Plain || ss.s.user == "" {
		return nil, smtp.ErrAuthUnknownMechanism
	}
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != ss.s.user || password != ss.s.pass {
			return errors.New("invalid credentials")
		}
		ss.authed = username
		return nil
	}), nil
}
