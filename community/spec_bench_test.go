package community_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/timkit/tim"
	"github.com/timkit/tim/community"
)

// benchSpec is a spec of 100 permission groups × 1,000 members and 10
// topic grants each (100,000 memberships), as a file in each format.
func benchSpec(b *testing.B) map[community.SpecFormat][]byte {
	spec := &community.Spec{GroupID: "@TGS#_a", PermissionGroups: make([]community.GroupSpec, 100)}
	for i := range spec.PermissionGroups {
		g := community.GroupSpec{ID: fmt.Sprintf("@PMG#_g%d", i), Name: fmt.Sprintf("Group %d", i), Permission: tim.GroupPermSendMessage,
			Topics: map[string]tim.TopicPermission{}, Members: make([]string, 1000)}
		for t := range 10 {
			g.Topics[fmt.Sprintf("@TGS#_a@TOPIC#_t%d", t)] = tim.TopicPermSendMessage | tim.TopicPermAtAll
		}
		for m := range g.Members {
			g.Members[m] = fmt.Sprintf("user%06d", i*1000+m)
		}
		spec.PermissionGroups[i] = g
	}
	out := map[community.SpecFormat][]byte{}
	for _, f := range []community.SpecFormat{community.SpecJSON, community.SpecYAML} {
		data, err := spec.Encode(f)
		if err != nil {
			b.Fatal(err)
		}
		out[f] = data
	}
	return out
}

// BenchmarkParseSpec reads the same spec three ways: json.Unmarshal (the
// decoders alone: no positions, no Validate), and ParseSpecFile of the JSON
// and of the YAML file (positions, Validate).
//
//	go test -run '^$' -bench BenchmarkParseSpec -benchmem ./community
func BenchmarkParseSpec(b *testing.B) {
	files := benchSpec(b)
	b.Run("json.Unmarshal", func(b *testing.B) {
		b.SetBytes(int64(len(files[community.SpecJSON])))
		for b.Loop() {
			var s community.Spec
			if err := json.Unmarshal(files[community.SpecJSON], &s); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, f := range []community.SpecFormat{community.SpecJSON, community.SpecYAML} {
		b.Run("ParseSpecFile/"+f.String(), func(b *testing.B) {
			b.SetBytes(int64(len(files[f])))
			for b.Loop() {
				if _, err := community.ParseSpecFile("spec."+f.String(), files[f]); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
