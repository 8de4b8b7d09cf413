package procnet

import (
	"fmt"
	"net/netip"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

const procNetTCP = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:A7C9 00000000:0000 0A 00000000:00000002 00:00000000 00000000     0        0 89889 3 00000000e94b7e5d 100 0 0 10 0
   1: 0100007F:A7C9 0100007F:D2F0 01 00000000:00000005 00:00000000 00000000     0        0 89890 1 00000000e94b7e5e 20 4 30 10 -1
   2: 00000000:07E8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 576 1 0000000096ccb97b 100 0 0 10 0
`

func TestListenQueue(t *testing.T) {
	n, ok := Queue(procNetTCP, netip.MustParseAddrPort("127.0.0.1:42953"), listening)
	assert.True(t, ok)
	assert.Equal(t, 2, n, "the listener's line, not the connection's on the same port")

	_, ok = Queue(procNetTCP, netip.MustParseAddrPort("127.0.0.1:1"), listening)
	assert.False(t, ok, "no listener on that port")

	_, ok = Queue(strings.ReplaceAll(procNetTCP, ":00000002", ":zz"), netip.MustParseAddrPort("127.0.0.1:42953"), listening)
	assert.False(t, ok, "a line that cannot be read is skipped")
}

// FuzzQueue feeds the parser whatever text may come: it must never
// panic, and a count it reports comes from a listener's line.
func FuzzQueue(f *testing.F) {
	f.Add(procNetTCP, uint16(42953))
	f.Add("", uint16(0))
	f.Add("0: 0100007F:0001 x 0A :", uint16(1))
	f.Add("0: 0100007F:0001 x 0A 0:FFFFFFFFFFFF", uint16(1))
	f.Fuzz(func(t *testing.T, table string, port uint16) {
		n, ok := Queue(table, netip.AddrPortFrom(netip.MustParseAddr("127.0.0.1"), port), listening)
		if !ok && n != 0 {
			t.Fatalf("no listener found, yet a count of %d", n)
		}
		if n < 0 {
			t.Fatalf("negative count %d", n)
		}
		if ok && !strings.Contains(table, fmt.Sprintf("0100007F:%04X", port)) {
			t.Fatalf("a count of %d, but no line names port %d", n, port)
		}
	})
}

func TestReceiveQueue(t *testing.T) {
	udp := `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
  7: 0100007F:270F 00000000:0000 07 00000000:00000340 00:00000000 00000000     0        0 1 2 0 0
  8: 0100007F:270F 0100007F:9C40 01 00000000:00000010 00:00000000 00000000     0        0 1 2 0 0
`
	n, ok := Queue(udp, netip.MustParseAddrPort("127.0.0.1:9999"), unconnected)
	assert.True(t, ok)
	assert.Equal(t, 0x340, n, "the unconnected socket's line, not the connected one's on the same port")
}
