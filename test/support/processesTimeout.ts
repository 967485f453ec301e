// The "processes" project's jest timeout (jest.config.js; jest-circus takes testTimeout from the global config
// only, so a project sets its own here). Its tests start service processes, `npm start` and chromium, and drive
// hundreds of turns through them: on a 2-core machine saturated by other processes that takes minutes, not seconds.
jest.setTimeout(240_000);
