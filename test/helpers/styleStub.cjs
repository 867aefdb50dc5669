// jest stand-in for stylesheets imported by admin components (Next bundles the real ones).
module.exports = {}
