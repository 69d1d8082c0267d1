package registration_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sync/atomic"
	"testing"

	"rostrum/internal/testenv"
	"rostrum/meetings"
	"rostrum/registration"
	"rostrum/store"
)

// BenchmarkRegister measures the registration write path on SQLite: the
// meeting lock, the duplicate, organization and seat checks, the insert
// and the confirmation mail queued in the same transaction, grouped with
// other writers' as the server does (store.GroupCommit). Run with
// -cpu 1,16 to see it alone and under concurrent writers.
func BenchmarkRegister(b *testing.B) {
	db, err := store.Open(filepath.Join(b.TempDir(), "r.db"), testenv.Logger(b))
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close(db)
	if err := store.Migrate(db); err != nil {
		b.Fatal(err)
	}
	if _, err := (&meetings.Service{DB: db}).Create(context.Background(), meetings.Input{
		Slug: "m", Title: "M", StartsAt: "2030-12-02T10:00:00Z", EndsAt: "2030-12-04T18:00:00Z",
		RegistrationClosesAt: "2030-11-30T00:00:00Z", Capacity: 5000, MaxPerOrganization: 5,
	}); err != nil {
		b.Fatal(err)
	}
	group := store.NewGroupCommit(db, 128)
	defer group.Close()
	s := &registration.Service{DB: db, PublicURL: "https://rostrum.example", Group: group}
	var n atomic.Int64
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := n.Add(1)
			in := registration.Input{
				Organization: registration.OrganizationInput{Name: fmt.Sprintf("Org %d", i%2000), Type: "ngo", Country: "KE"},
				Name:         "P", Email: fmt.Sprintf("p%d@example.org", i), Consent: true,
			}
			if _, err := s.Register(context.Background(), "m", in); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
