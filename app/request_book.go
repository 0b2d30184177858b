package app

import (
	"sync"

	"github.com/fuzhi/eventdesk/model"
	"github.com/fuzhi/eventdesk/store"
)

// requestBook is who has asked to meet whom, kept by the commit hook, so
// that creating a request checks for a duplicate and counts the sender's
// open requests without reading every request in the file (the 2,000th
// took ten times as long as the first).
type requestBook struct {
	mu   sync.RWMutex
	byID map[string]requestLine
	open map[string]map[string]string // from -> to -> id, open requests only
}

// requestLine is what the book remembers of one request.
type requestLine struct {
	from, to string
	open     bool
}

func loadRequests(s *store.Store) (*requestBook, error) {
	b := &requestBook{byID: map[string]requestLine{}, open: map[string]map[string]string{}}
	err := store.Requests.Each(s, func(id string, r model.MeetingRequest) error {
		b.put(id, r)
		return nil
	})
	return b, err
}

// set records a committed request as it now stands.
func (b *requestBook) set(id string, r model.MeetingRequest) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.put(id, r)
}

func (b *requestBook) put(id string, r model.MeetingRequest) {
	if old, ok := b.byID[id]; ok && old.open && b.open[old.from][old.to] == id {
		delete(b.open[old.from], old.to)
	}
	line := requestLine{from: r.From, to: r.To, open: r.Status.Open()}
	b.byID[id] = line
	if line.open {
		if b.open[r.From] == nil {
			b.open[r.From] = map[string]string{}
		}
		b.open[r.From][r.To] = id
	}
}

// openBetween is the open request from one person to another, or "".
func (b *requestBook) openBetween(from, to string) string {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return b.open[from][to]
}

// sent counts a person's open requests.
func (b *requestBook) sent(from string) int {
	b.mu.RLock()
	defer b.mu.RUnlock()
	return len(b.open[from])
}

// has says whether an id is taken.
func (b *requestBook) has(id string) bool {
	b.mu.RLock()
	defer b.mu.RUnlock()
	_, ok := b.byID[id]
	return ok
}
