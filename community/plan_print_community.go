package community

import (
	"fmt"
	"io"
)

// writeCommunityBlock prints the block of the settings' operation, or of
// one topic's operations.
func writeCommunityBlock(w io.Writer, ops []Op) {
	first := &ops[0]
	switch first.Kind {
	case KindSettings:
		fmt.Fprintf(w, "\n  ~ settings\n")
		old, now := first.OldSettings, first.Settings
		if first.SettingsChanged&SettingPermissionGroupsEnabled != 0 {
			fmt.Fprintf(w, "      ~ permission_groups_enabled %s -> %s\n", known(old.PermissionGroupsEnabled), known(now.PermissionGroupsEnabled))
		}
		if first.SettingsChanged&SettingDefaultPermission != 0 {
			fmt.Fprintf(w, "      ~ default_permission %s -> %s\n", known(old.DefaultPermission), known(now.DefaultPermission))
		}
		return
	case KindDestroyTopic:
		fmt.Fprintf(w, "\n  - topic %s %s (grants in %s)\n", first.TopicID, quote(first.Topic.Name, maxShown), plural(len(first.Grants), "permission group"))
		for _, g := range first.Grants {
			fmt.Fprintf(w, "      - grant %s: %s\n", g.PermissionGroupID, g.Permission)
		}
		return
	case KindCreateTopic:
		fmt.Fprintf(w, "\n  + topic %s\n", first.TopicID)
	default:
		fmt.Fprintf(w, "\n  ~ topic %s %s\n", first.TopicID, quote(first.OldTopic.Name, maxShown))
	}
	for i := range ops {
		o := &ops[i]
		if o.Kind == KindCreateTopic {
			for _, f := range topicFieldNames {
				if v := topicField(&o.Topic, f.mask); f.mask == TopicName || (v != `""` && v != "false") {
					fmt.Fprintf(w, "      + %s %s\n", f.name, v)
				}
			}
			continue
		}
		for _, f := range topicFieldNames {
			if o.TopicChanged&f.mask != 0 {
				fmt.Fprintf(w, "      ~ %s %s -> %s\n", f.name, topicField(&o.OldTopic, f.mask), topicField(&o.Topic, f.mask))
			}
		}
	}
}

// topicField prints the field of t that mask names: a quoted text or
// true/false.
func topicField(t *Topic, mask TopicFieldMask) string {
	if p := t.text(mask); p != nil {
		return quote(*p, maxShown)
	}
	return fmt.Sprint(t.MuteAll)
}

// known prints a setting, or "(unknown)" for nil.
func known[T any](v *T) string {
	if v == nil {
		return "(unknown)"
	}
	return fmt.Sprint(*v)
}

// writeKeptTopics prints the topics a plan with prune_topics keeps, and
// why.
func writeKeptTopics(w io.Writer, kept []KeptTopic) {
	if len(kept) == 0 {
		return
	}
	fmt.Fprintf(w, "\nKept: %s the spec does not list, whose ID the service made (a spec cannot list it; \"prune_server_made\": true destroys it):\n", plural(len(kept), "topic"))
	for _, k := range kept {
		fmt.Fprintf(w, "  # topic %s %s (grants in %s)\n", k.ID, quote(k.Name, maxShown), plural(k.Grants, "permission group"))
	}
}
