// Bundled in place of js-yaml. gray-matter loads js-yaml for its default YAML engine, which
// sdp always replaces (see src/core/frontmatter.ts); loading the real one, and the esprima
// it probes for, cost ~30 ms of every start. If anything ever reaches it, fail loudly.
const unused = () => {
  throw new Error('js-yaml is not bundled with sdp: gray-matter must be given sdp\'s own YAML engine');
};
module.exports = { safeLoad: unused, safeDump: unused, load: unused, dump: unused };
