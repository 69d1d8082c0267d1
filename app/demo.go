package app

import (
	"context"
	"io"
)

// Demo fills the database with the informal intersessional consultative
// meeting of December 2019.
func (a *App) Demo(ctx context.Context, w io.Writer) error { return nil }
