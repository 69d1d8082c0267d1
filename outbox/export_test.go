package outbox

import "context"

// ClaimAndAbandon claims a batch as the worker does before sending it,
// and leaves it claimed: the state in which a process killed in the
// middle of a batch leaves its mail. It returns how many rows it claimed.
func (w *Worker) ClaimAndAbandon(ctx context.Context) (int, error) {
	b, err := w.claim(ctx)
	if err != nil || b == nil {
		return 0, err
	}
	return len(b.rows), nil
}
