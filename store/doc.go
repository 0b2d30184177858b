// Package store keeps one event in one bbolt file: the op log that is the
// source of truth, and the views built from it in the same transaction.
//
// The file is portable: copy it to another laptop and open it there. Every
// change is an op appended to the log; views can always be rebuilt from the
// ops (see Rebuild), which is what lets stations replicate by exchanging ops
// and lets a damaged view be repaired without losing anything.
//
// Bucket tree (schema version 6):
//
//	meta/                       schema_version, station, hlc (last issued clock)
//	ops/                        <station>|<seq:8 bytes BE> -> Op (JSON)
//	vv/                         <station> -> highest seq seen (8 bytes BE)
//	views/
//	  event/                    "event" -> Event (JSON)
//	  participant/              <id> -> Participant (JSON)
//	  org/                      <id> -> Org (JSON)
//	  achievement/              <id> -> Achievement (JSON)
//	  demand/                   <id> -> Demand (JSON)
//	  secret/                   "badge_key" -> the event's badge signing key (LWW)
//	  scan/                     <participant>|<hlc:8>|<station>|<seq:8> -> Scan (append only)
//	  scan_undo/                <participant>|<hlc:8>|<station>|<seq:8> -> which scan it undoes (append only)
//	  session/                  "session" -> matchmaking setup: slots, tables, blocked slots
//	  request/                  <id> -> meeting request (from, to, priority, status)
//	  meeting/                  <id> -> a scheduled meeting (request, slot, table, status, locked)
//	  outcome/                  <meeting id> -> outcome of the meeting
//	  lead/                     <exhibitor>|<participant> -> lead (note, rating), LWW
//	  proposal/                 <id> -> a station's proposed schedule change and the hub's answer
//	  programme/                <id> -> a session of the day's programme; a roadshow's running order and stage progress inside it
//	  response/                 J<demand>-<participant> -> a response to an SME's challenge (揭榜), LWW
//	  chainmap/                 <chain as typed, normalised> -> its national chain code (the review step), LWW
//	  score/                    <talk>|<judge> -> a roadshow panel's score sheet, LWW
//	  _clock/                   <kind>/<id> -> Stamp of the winning write (kept for deletes too)
//	idx/
//	  participant_key_id/       <dedup key>\x00<id> -> participant id (migration 5; replaced
//	                            participant_key/ <dedup key> -> id of migration 2)
//	local/                      machine-local settings, never ops: hub tokens, TLS key, hub to sync with
//
// Every committed Apply and Ingest runs the hooks registered with OnCommit,
// after the transaction is durable: the app's in-memory projections and UI
// events follow changes made here and changes from other machines alike.
//
// Most views follow last-writer-wins by hybrid logical clock, ties broken by
// station id; scans and undos are append only and their meaning (the earliest
// scan not undone is the check-in) is derived when read. Either way the result
// does not depend on the order ops arrive in.
//
// Callers reach the views through the typed registry in views.go: each view
// kind is bound to its Go type once (store.Meetings, store.Scans, …), so no
// caller passes a kind string or decodes a view by hand.
package store
