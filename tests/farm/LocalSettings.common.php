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
// Production-like by default: the exception page shows only the request id and
// the class; `start --exception-details WIKI` sets $farmShowExceptionDetails.
$wgShowExceptionDetails = !empty( $farmShowExceptionDetails );
$wgShowDBErrorBacktrace = false;

// The ORES profile of this wiki, read on every request from state/ores-WIKI
// (written by `start --ores WIKI=PROFILE` and `tests/farm/ores WIKI PROFILE`):
//   full      damaging and goodfaith, every level (the default)
//   damaging  damaging only, every level (goodfaith off, as on most beta wikis in 2017)
//   partial   both models, but neither has verylikelybad (no threshold for it)
//   none      the ORES extension is not loaded at all (not in siteinfo either)
$farmOresFile = "$farmState/ores-$farmWiki";
$farmOresProfile = is_readable( $farmOresFile ) ? trim( file_get_contents( $farmOresFile ) ) : 'full';
if ( !in_array( $farmOresProfile, [ 'full', 'damaging', 'partial', 'none' ], true ) ) {
	throw new RuntimeException( "farm: unknown ORES profile '$farmOresProfile' in $farmOresFile" );
}

// One localisation cache (CDB files) per set of loaded extensions, shared by
// the wikis that load that set; it survives `stop`, which makes later starts
// and first page loads fast. One directory for all wikis would thrash: a CDB
// file records the extensions' message dirs it was built from, so a wiki
// without ORES rebuilt the 'en' cache that a wiki with ORES had just rebuilt
// (~0.3 s of CPU per request on this machine, measured on the beta farm's
// clientlogins, which all read 'en' messages).
$wgCacheDirectory = "$farmState/cache/l10n" . ( $farmOresProfile === 'none' ? '-no-ores' : '' );

// The fixture extensions: "ORES" (filters, fault modes, meta=ores) and
// "SiteMatrix" (action=sitematrix, on every wiki).
if ( $farmOresProfile !== 'none' ) {
	wfLoadExtension( 'ORES', "$farmDir/extensions/OresFixture/extension.json" );
}
wfLoadExtension( 'SiteMatrix', "$farmDir/extensions/OresFixture/sitematrix.json" );
$wgOresFixtureStateDir = $farmState;
$wgOresFixtureWiki = $farmWiki;
$wgOresFixtureSitesFile = "$farmState/sites.json";
// Levels: [min, max] of the fake score in percent (see Models.php).
$farmDamaging = [
	'likelygood' => [ 0, 30 ], 'maybebad' => [ 16, 100 ],
	'likelybad' => [ 56, 100 ], 'verylikelybad' => [ 92, 100 ],
];
$farmGoodfaith = [
	'likelygood' => [ 70, 100 ], 'maybebad' => [ 0, 60 ],
	'likelybad' => [ 0, 35 ], 'verylikelybad' => [ 0, 15 ],
];
// Model versions differ per wiki, as they do in production.
$farmVersion = [ 'enwiki' => '0.5.0', 'frwiki' => '0.4.0', 'ruwiki' => '0.4.1' ][$farmWiki] ?? '0.3.0';
$farmPartial = $farmOresProfile === 'partial';
$wgOresFixtureModels = [
	'damaging' => [ 'enabled' => true, 'version' => $farmVersion,
		'levels' => $farmPartial ? array_diff_key( $farmDamaging, [ 'verylikelybad' => 1 ] ) : $farmDamaging ],
	'goodfaith' => [ 'enabled' => $farmOresProfile !== 'damaging', 'version' => $farmVersion,
		'levels' => $farmPartial ? array_diff_key( $farmGoodfaith, [ 'verylikelybad' => 1 ] ) : $farmGoodfaith ],
];

// Last word: state/WIKI/overrides.php, if a test wants to change anything above.
$farmOverrides = "$farmState/$farmWiki/overrides.php";
if ( is_readable( $farmOverrides ) ) {
	require $farmOverrides;
}
