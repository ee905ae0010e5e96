// Package community keeps the permission model of one Tencent Cloud Chat
// community the way an app wants it, and answers "what may this member do
// here?".
//
// The service sends no webhooks for permission groups and no REST call says
// which permission groups a member is in, so a backend that runs
// communities has to own the model. This package builds that on the typed
// client of package github.com/timkit/tim, and only calls its methods: the
// client paces itself (its per-command rate limiter and in-flight cap),
// retries what is safe to retry and splits long lists at the documented
// limits.
//
//   - [Load] reads a [Snapshot] of a community: every permission group
//     (paged), each group's topic permissions and members (paged), and the
//     community's owner and inferred defaults (get_group_info), from a
//     bounded pool of workers. A snapshot is whole or Load fails; a group
//     destroyed while Load reads it is left out.
//   - [NewAccess] answers, from a snapshot and with no further calls, which
//     permission groups an account is in and what it may do in the community
//     or in a topic, with the rule and the groups behind each bit
//     ([Answer.Reasons]); in a topic, the community bits that cover every
//     topic count too ([InAllTopics], inferred).
//   - [NewLive] keeps a snapshot fresh for a backend that serves permission
//     checks: reloads on an interval and on callbacks
//     ([Live.HandleCallback]), its own writes visible at once, and readers
//     that never block ([Live.Access]).
//   - A [Spec] is the model as code: JSON or YAML a team keeps in git
//     ([ParseSpecFile]; errors give the file, line and column of what they
//     name, and [Spec.Position] finds any value's place later;
//     [Spec.Encode] writes one back): the community's settings, its topics
//     and its permission groups. [CheckSpec] checks, before anything is
//     written, that the spec fits the community (its accounts are members,
//     its granted topics exist or are created: [CheckError]). [Diff]
//     compares a snapshot with a spec and returns a
//     [Plan], the exact operations and the API calls they take, with a
//     [Fingerprint] of what it read; a plan is saved and read back as JSON
//     ([Plan.MarshalJSON], [FormatVersion]); [CheckPlan] refuses a saved
//     plan whose community changed since ([StaleError]); [Apply] runs it,
//     settles lost answers, makes no change the plan does not show, and
//     reports each operation's [Outcome]; [Verify] reads the changed groups
//     again; [Simulate] applies a plan to a snapshot without calls;
//     [Export] turns a snapshot into a spec to start from.
//
// The command github.com/timkit/tim/cmd/tim wraps them as tim export, tim
// plan and tim apply, with terraform's contract (saved plans, prompts,
// -json, -detailed-exitcode), and tim access, which prints an Answer's
// explanation.
//
// # Managed fields
//
// What a spec leaves out is not touched, as with kubectl's server-side
// apply: without "settings" the settings are not managed, nor each setting
// the object leaves out; a topic without "introduction", "notification",
// "face_url", "custom_string" or "mute_all", and a permission group without
// "custom_string", "topics" or "members", keeps what it has there;
// permission groups the spec does not name are left alone unless the spec
// says "prune": true, topics it does not list unless it says
// "prune_topics": true, and even then the groups and topics whose ID the
// service made are kept unless it also says "prune_server_made": true. A
// field that is present, even empty, is exact.
//
// # What is inferred
//
// The community's default permission and its "permission groups enabled"
// switch come from get_group_info fields, and are changed with
// modify_group_base_info fields, that the official REST pages do not show
// (see [tim.GroupInfo]); that a custom topic ID in use answers 10021 or
// 10025 to create_topic is inferred from two pages that disagree; no REST field is known for a topic's
// default permission, which this package takes as 0. Which community bits
// reach every topic, and how they map to topic bits, is inferred from the
// client SDKs' docs ([InAllTopics]); that a member who leaves, or a topic
// that is destroyed, takes its permission-group places with it is inferred
// too ([Live.HandleCallback]).
package community
