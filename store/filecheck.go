package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"os"
)

// ErrIncomplete is an event file shorter than its own header says: a copy
// cut off, a USB stick pulled, a disk that filled. bbolt maps the file and
// would die on the first page past its end (SIGBUS), taking the desk with
// it, so such a file is refused before bbolt sees it.
var ErrIncomplete = errors.New("活动文件不完整（可能复制或保存时中断）：请使用备份或重新从主控机获取")

// bbolt's meta page, after a 16-byte page header: magic, version, page
// size, flags, root bucket (root, sequence), freelist, high water mark
// (pages in use), txid, then an FNV-64a checksum of the 56 bytes before it.
const (
	boltMagic      = 0xED0CDAED
	metaAt         = 16
	metaSumLen     = 56
	metaHighWater  = metaAt + 40
	metaTxid       = metaAt + 48
	metaChecksum   = metaAt + metaSumLen
	metaPageSize   = metaAt + 8
	smallestHeader = metaChecksum + 8
)

// checkComplete refuses an existing file that is empty or shorter than the
// pages its newest valid meta page says are in use. A missing file is fine
// (it is about to be created); a file that is not bbolt at all is left to
// bbolt, which says so.
func checkComplete(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("open event file %s: %w", path, err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return fmt.Errorf("open event file %s: %w", path, err)
	}
	if info.Size() == 0 {
		return fmt.Errorf("%w：%s 是空文件", ErrNotEvent, path)
	}
	first := make([]byte, smallestHeader)
	if _, err := f.ReadAt(first, 0); err != nil {
		if errors.Is(err, io.EOF) {
			return fmt.Errorf("%w：%s", ErrNotEvent, path)
		}
		return fmt.Errorf("open event file %s: %w", path, err)
	}
	pageSize, ok := validMeta(first)
	if !ok {
		return nil // not bbolt, or a damaged first meta: bbolt decides
	}
	var need, txid uint64
	for i := int64(0); i < 2; i++ {
		page := make([]byte, smallestHeader)
		if _, err := f.ReadAt(page, i*int64(pageSize)); err != nil {
			continue
		}
		if _, ok := validMeta(page); !ok {
			continue
		}
		if t := binary.LittleEndian.Uint64(page[metaTxid:]); i == 0 || t > txid {
			txid, need = t, binary.LittleEndian.Uint64(page[metaHighWater:])*uint64(pageSize)
		}
	}
	if uint64(info.Size()) < need {
		return fmt.Errorf("%w（%s：%d 字节，应至少 %d 字节）", ErrIncomplete, path, info.Size(), need)
	}
	return nil
}

// validMeta reports whether b starts with a bbolt meta page whose checksum
// holds, and its page size.
func validMeta(b []byte) (uint32, bool) {
	if binary.LittleEndian.Uint32(b[metaAt:]) != boltMagic {
		return 0, false
	}
	h := fnv.New64a()
	h.Write(b[metaAt : metaAt+metaSumLen])
	if h.Sum64() != binary.LittleEndian.Uint64(b[metaChecksum:]) {
		return 0, false
	}
	size := binary.LittleEndian.Uint32(b[metaPageSize:])
	if size < 512 || size > 1<<20 {
		return 0, false
	}
	return size, true
}
