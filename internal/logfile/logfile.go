// Package logfile is where the app writes what it did and what went wrong:
// structured lines (log/slog, JSON) in a size-rotated file in the data
// folder, so an organizer can hand the folder to support after the event.
// Callers log ids, counts, addresses and errors, never a person's name,
// mobile, e-mail, a badge code, a token or a key.
package logfile

import (
	"io"
	"log/slog"
	"os"
	"path/filepath"

	"gopkg.in/natefinch/lumberjack.v2"
)

// Name is the log's file name inside <data>/logs.
const Name = "fuzhi.log"

// Open starts logging to <dataDir>/logs/fuzhi.log, rotated at 5 MB with
// three old files kept. The closer flushes and closes the file.
func Open(dataDir string) (*slog.Logger, io.Closer, error) {
	dir := filepath.Join(dataDir, "logs")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, nil, err
	}
	w := &lumberjack.Logger{Filename: filepath.Join(dir, Name), MaxSize: 5, MaxBackups: 3, MaxAge: 90}
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: slog.LevelInfo})), w, nil
}

// Discard is the logger of tests and one-shot commands.
func Discard() *slog.Logger { return slog.New(slog.DiscardHandler) }
