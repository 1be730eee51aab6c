package mail

import "testing"

// TestDATAPath runs the delivery tests again with DATA instead of BDAT:
// the test server offers CHUNKING, so without this the dot-stuffed DATA
// path, which servers without CHUNKING get, would go untested.
func TestDATAPath(t *testing.T) {
	noChunking = true
	defer func() { noChunking = false }()
	t.Run("fields", TestSendFieldByField)
	t.Run("replies", TestTemporaryAndPermanentReplies)
	t.Run("batch", TestBatchOneConnection)
	t.Run("drop", TestDropMidBatch)
}
