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
// Production-like by default: the exception page shows only the request id and
// the class; `start --exception-details WIKI` sets $farmShowExceptionDetails.
$wgShowExceptionDetails = !empty( $farmShowExceptionDetails );
$wgShowDBErrorBacktrace = false;

// The fixture extensions: "ORES" (filters, fault modes, meta=ores) unless
// `start --no-ores WIKI` cleared $farmOres, and "SiteMatrix" (action=sitematrix).
if ( $farmOres ?? true ) {
	wfLoadExtension( 'ORES', "$farmDir/extensions/OresFixture/extension.json" );
}
wfLoadExtension( 'SiteMatrix', "$farmDir/extensions/OresFixture/sitematrix.json" );
$wgOresFixtureStateDir = $farmState;
$wgOresFixtureWiki = $farmWiki;
$wgOresFixtureSitesFile = "$farmState/sites.json";
// Models and levels per wiki, so wikis differ the way beta wikis do: enwiki has
// every level of both models, frwiki lacks goodfaith's verylikelybad, ruwiki has
// no goodfaith and no damaging verylikelybad. Levels: [min, max] fake score in %.
$farmDamaging = [
	'likelygood' => [ 0, 30 ], 'maybebad' => [ 16, 100 ],
	'likelybad' => [ 56, 100 ], 'verylikelybad' => [ 92, 100 ],
];
$farmGoodfaith = [
	'likelygood' => [ 70, 100 ], 'maybebad' => [ 0, 60 ],
	'likelybad' => [ 0, 35 ], 'verylikelybad' => [ 0, 15 ],
];
$wgOresFixtureModels = [
	'enwiki' => [
		'damaging' => [ 'enabled' => true, 'version' => '0.5.0', 'levels' => $farmDamaging ],
		'goodfaith' => [ 'enabled' => true, 'version' => '0.5.0', 'levels' => $farmGoodfaith ],
	],
	'frwiki' => [
		'damaging' => [ 'enabled' => true, 'version' => '0.4.0', 'levels' => $farmDamaging ],
		'goodfaith' => [ 'enabled' => true, 'version' => '0.4.0',
			'levels' => array_diff_key( $farmGoodfaith, [ 'verylikelybad' => 1 ] ) ],
	],
	'ruwiki' => [
		'damaging' => [ 'enabled' => true, 'version' => '0.4.1',
			'levels' => array_diff_key( $farmDamaging, [ 'verylikelybad' => 1 ] ) ],
		'goodfaith' => [ 'enabled' => false, 'version' => '0.4.1', 'levels' => $farmGoodfaith ],
	],
][$farmWiki] ?? [];

// Last word: state/WIKI/overrides.php, if a test wants to change anything above.
$farmOverrides = "$farmState/$farmWiki/overrides.php";
if ( is_readable( $farmOverrides ) ) {
	require $farmOverrides;
}
