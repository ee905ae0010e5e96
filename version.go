package tim

// Version is the release of this module, as it is tagged in git: the
// default User-Agent carries it ([DefaultUserAgent]) and the tim command's
// "tim version" prints it. Between releases it names the release being
// prepared (see CHANGELOG.md).
const Version = "v0.1.0"
