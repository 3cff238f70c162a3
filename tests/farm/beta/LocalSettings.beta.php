<?php
// Settings of the beta-like farm, on top of LocalSettings.common.php (the quick
// farm's). Included by state/WIKI/LocalSettings.php, written by beta/start.
if ( !defined( 'MEDIAWIKI' ) ) {
	exit;
}

// One object cache for every wiki: state/db/wikicache.sqlite (every wiki's
// $wgSQLiteDataDir is state/db), as the main cache too, so global keys
// (makeGlobalKey) really are global: the password-attempt throttle counts every
// login of one account on every wiki under one key, as with CentralAuth in
// production. Sessions stay per wiki (keys WIKI:MWSession:*).
$wgMainCacheType = CACHE_DB;
// MediaWiki's default (5 attempts per 300 s, 150 per 48 h); the quick farm turns
// it off. A test lowers it in state/overrides.php.
$wgPasswordAttemptThrottle = MediaWiki\MainConfigSchema::PasswordAttemptThrottle['default'];

// One login per wiki family, as CentralAuth gives on beta: a clientlogin on
// en.wikipedia.beta.test also logs the account in on every *.wikipedia.beta.test
// wiki (central cookies on .wikipedia.beta.test, the central session in the
// shared object cache); commons and meta share .wikimedia.beta.test.
// CentralSessionProvider.php says how; local sessions stay MediaWiki's own.
require_once "$farmDir/beta/CentralSessionProvider.php";
$wgSessionProviders[MediaWiki\Session\CookieSessionProvider::class] = [
	'class' => FarmCentralSessionProvider::class,
	'args' => [ [
		'priority' => 30,
		'callUserSetCookiesHook' => true,
		'centralDomain' => preg_replace( '#^https?://[^.]+(\.[^:/]+).*$#', '$1', $wgServer ),
	] ],
];

// The edge's request id (X-Request-Id, nginx $request_id) is MediaWiki's too,
// so an exception page and the edge log name the same request, as in production.
$wgAllowExternalReqID = true;
// Behind the https edge: the backend sees X-Forwarded-Proto: https.
$wgCookieSecure = true;

// Last word: state/overrides.php (every wiki), then state/WIKI/overrides.php
// (LocalSettings.common.php read it already, before the settings above).
if ( is_readable( "$farmState/overrides.php" ) ) {
	require "$farmState/overrides.php";
}
if ( is_readable( "$farmState/$farmWiki/overrides.php" ) ) {
	require "$farmState/$farmWiki/overrides.php";
}
