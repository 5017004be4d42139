package relay

import (
	"strconv"
	"time"

	"tokendesk/internal/stdlite"
)

// LogEntry is what the relay logs about one request. It never holds a
// body, a name, an email or a token.
type LogEntry struct {
	Method         string
	Path           string
	Status         int
	UpstreamStatus int // 0 when nothing was sent upstream
	Code           string
	// Detail says what is wrong for the operator (a config_error's cause);
	// clients never see it.
	Detail   string
	Duration time.Duration
	Colo     string // the Cloudflare data centre, when known
	Version  string // the Worker's version, when known
}

// JSON returns the entry as one line of JSON, which Workers Logs indexes
// field by field.
func (e LogEntry) JSON() string {
	b := make([]byte, 0, 160)
	b = append(b, `{"method":`...)
	b = stdlite.AppendJSONString(b, e.Method)
	b = append(b, `,"path":`...)
	b = stdlite.AppendJSONString(b, e.Path)
	b = append(b, `,"status":`...)
	b = strconv.AppendInt(b, int64(e.Status), 10)
	b = append(b, `,"upstream_status":`...)
	if e.UpstreamStatus == 0 {
		b = append(b, "null"...)
	} else {
		b = strconv.AppendInt(b, int64(e.UpstreamStatus), 10)
	}
	b = appendOptional(b, "code", e.Code)
	b = appendOptional(b, "detail", e.Detail)
	b = append(b, `,"duration_ms":`...)
	// Milliseconds to a tenth, written without strconv's float code.
	tenths := (e.Duration.Microseconds() + 50) / 100
	b = strconv.AppendInt(b, tenths/10, 10)
	b = append(b, '.', byte('0'+tenths%10))
	b = appendOptional(b, "colo", e.Colo)
	b = appendOptional(b, "version", e.Version)
	return string(append(b, '}'))
}

// appendOptional appends ,"name":value when value is not empty.
func appendOptional(b []byte, name, value string) []byte {
	if value == "" {
		return b
	}
	b = append(b, `,"`+name+`":`...)
	return stdlite.AppendJSONString(b, value)
}
