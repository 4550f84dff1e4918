// The version users see in `sdp --version`; also part of every cache key, so an upgrade never
// reads what an older sdp wrote.
export const VERSION = '0.1.0';
