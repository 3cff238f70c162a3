<?php
// Settings shared by every farm wiki. Included last by state/WIKI/LocalSettings.php
// (written by `start`), after install.php's own settings for that wiki, with
// $farmWiki (dbname), $farmDir (tests/farm) and $farmState (tests/farm/state) set.
if ( !defined( 'MEDIAWIKI' ) ) {
	exit;
}

// Sessions live in the objectcache table of this wiki's own
// state/WIKI/db/wikicache.sqlite, so `kill-sessions` can delete them for real.
$wgSessionCacheType = CACHE_DB;
$wgMainCacheType = CACHE_NONE;
// One shared localisation cache (CDB files) for all wikis; it survives `stop`,
// which makes later starts and first page loads fast.
$wgCacheDirectory = "$farmState/cache/l10n";
$wgLocalisationCacheConf['store'] = 'files';

$wgEnableBotPasswords = true;
$wgEnableEmail = false;
$wgEnableUploads = false;
$wgUseInstantCommons = false;
$wgPingback = false;
// Edits made at start must stay in RC for the crawler's days=30.
$wgRCMaxAge = 90 * 24 * 3600;
// No rate limits or throttles in the way of a crawler hitting the farm hard.
$wgRateLimits = [];
$wgPasswordAttemptThrottle = false;
$wgAccountCreationThrottle = 0;
// Jobs run from maintenance scripts, never on a page view (keeps page timings steady).
$wgJobRunRate = 0;
// Production-like: the exception page shows only the request id and the class.
// A wiki's state/WIKI/overrides.php (written by `start --exception-details WIKI`)
// may turn the details on.
$wgShowExceptionDetails = false;
$wgShowDBErrorBacktrace = false;
$wgDebugLogFile = '';

// The fixture extension (ORES-like filters, fault modes, sitematrix and meta=ores).
wfLoadExtension( 'ORES', "$farmDir/extensions/OresFixture/extension.json" );
$wgOresFixtureStateDir = $farmState;
$wgOresFixtureWiki = $farmWiki;

$farmOverrides = "$farmState/$farmWiki/overrides.php";
if ( is_readable( $farmOverrides ) ) {
	require $farmOverrides;
}
