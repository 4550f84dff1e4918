// Never download a browser: sdp renders with the system's Chromium (see README, "Pictures").
// Read by puppeteer's install script on every npm version that runs it.
module.exports = {
  skipDownload: true,
  chrome: { skipDownload: true },
  'chrome-headless-shell': { skipDownload: true },
  firefox: { skipDownload: true },
};
