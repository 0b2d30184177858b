package wire

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"

	"github.com/fuzhi/eventdesk/store"
)

// An upload cuts every op down to the platform's fields. Through
// encoding/json's maps (projectSlow) that was half of an upload's CPU on
// the organizer's laptop, which shares its two cores with the upload's
// own database work. A payload as the app writes it (compact, escaped as
// json.Marshal escapes, no key twice) is cut here by reading its
// top-level fields directly, and gives the very bytes projectSlow gives;
// anything else takes projectSlow.

// sortedFields is, per kind, the allowed fields in the order json.Marshal
// writes a map's keys; withContacts adds the consent fields for a
// participant who agreed.
var sortedFields, withContacts = func() (map[string][]string, []string) {
	out := map[string][]string{}
	for kind, fields := range allowedFields {
		out[kind] = slices.Sorted(slices.Values(fields))
	}
	return out, slices.Sorted(slices.Values(append(slices.Clone(allowedFields[store.KindParticipant]), consentFields...)))
}()

// projectFast is ProjectNow (consents set) or Project (consents nil) for
// the payloads it can read directly; sure is false when it cannot and the
// caller must take the slow path.
func projectFast(op store.Op, consents Consents) (out store.Op, ok, sure bool) {
	kind, _, _ := strings.Cut(op.Kind, ".")
	fields, known := sortedFields[kind]
	if !known {
		return store.Op{}, false, true
	}
	if len(op.Payload) == 0 {
		return op, true, true
	}
	if op.Payload[0] != '{' || !json.Valid(op.Payload) {
		return store.Op{}, false, false
	}
	var found [24]rawField
	have, plain := topFields(op.Payload, found[:0])
	if !plain {
		return store.Op{}, false, false
	}
	value := func(key string) ([]byte, bool) {
		for _, f := range have {
			if f.key == key {
				return f.val, true
			}
		}
		return nil, false
	}
	if _, calls := value("followUps"); calls && kind == store.KindOutcome {
		return store.Op{}, false, false
	}
	consent := []byte(nil)
	if kind == store.KindParticipant {
		v, _ := value("consent")
		if string(v) == "true" {
			fields = withContacts
			// Today's word wins over the op's: without it the contacts
			// stay, and the consent the op carried is sent as false.
			if consents != nil && op.Kind == store.KindParticipant+".put" && !consents(op.Entity) {
				fields = sortedFields[kind]
				for _, f := range consentFields {
					if v, there := value(f); there {
						consent = []byte("false")
						if bytes.Contains(v, []byte(`\u00`)) {
							// projectNowSlow cleans the payload with the
							// contact in it, which rewrites its numbers.
							return store.Op{}, false, false
						}
					}
				}
			}
		}
	}
	buf := make([]byte, 0, len(op.Payload))
	buf = append(buf, '{')
	for _, key := range fields {
		v, there := value(key)
		if !there {
			continue
		}
		if key == "consent" && consent != nil {
			v = consent
		}
		if len(buf) > 1 {
			buf = append(buf, ',')
		}
		buf = append(buf, '"')
		buf = append(buf, key...)
		buf = append(buf, '"', ':')
		buf = append(buf, v...)
	}
	buf = append(buf, '}')
	if bytes.Contains(buf, []byte(`\u00`)) {
		return store.Op{}, false, false // control characters: cleanPayload's work
	}
	op.Payload = buf
	return op, true, true
}

type rawField struct {
	key string
	val []byte
}

// topFields lists a valid JSON object's top-level fields. plain is false
// when the object is not as json.Marshal would write it: space between
// tokens, an escaped key, a key twice, or a value json.Marshal would
// escape differently (<, >, &, U+2028, U+2029).
func topFields(obj []byte, dst []rawField) (fields []rawField, plain bool) {
	i := 1
	if len(obj) == 2 && obj[1] == '}' {
		return dst, true
	}
	for i < len(obj) {
		if obj[i] != '"' {
			return nil, false
		}
		end := bytes.IndexByte(obj[i+1:], '"')
		if end < 0 {
			return nil, false
		}
		key := obj[i+1 : i+1+end]
		if bytes.IndexByte(key, '\\') >= 0 {
			return nil, false
		}
		i += end + 2
		if i >= len(obj) || obj[i] != ':' {
			return nil, false
		}
		i++
		start := i
		if i = skipValue(obj, i); i < 0 {
			return nil, false
		}
		val := obj[start:i]
		if !escapedAsMarshal(val) {
			return nil, false
		}
		for _, f := range dst {
			if f.key == string(key) {
				return nil, false
			}
		}
		dst = append(dst, rawField{key: string(key), val: val})
		if i >= len(obj) {
			return nil, false
		}
		switch obj[i] {
		case ',':
			i++
		case '}':
			return dst, i == len(obj)-1
		default:
			return nil, false
		}
	}
	return nil, false
}

// skipValue returns where the value at i in valid JSON ends, or -1 at a
// space between tokens.
func skipValue(b []byte, i int) int {
	depth := 0
	for i < len(b) {
		switch c := b[i]; c {
		case '"':
			i++
			for i < len(b) && b[i] != '"' {
				if b[i] == '\\' {
					i++
				}
				i++
			}
			i++
		case '{', '[':
			depth++
			i++
		case '}', ']':
			if depth == 0 {
				return i
			}
			depth--
			i++
		case ',':
			if depth == 0 {
				return i
			}
			i++
		case ' ', '\t', '\n', '\r':
			return -1
		default:
			i++
		}
		if depth == 0 && i < len(b) && (b[i] == ',' || b[i] == '}') {
			return i
		}
	}
	return -1
}
