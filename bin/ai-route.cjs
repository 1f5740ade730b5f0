#!/usr/bin/env node
'use strict';
// The sources are ESM (src/, built by tsc); this runs their CommonJS bundle because it starts
// ~10 ms faster on Node 20 (see README, "Start-up"). Built by `npm run build`.
require('../dist/cli/ai-route.cjs');
