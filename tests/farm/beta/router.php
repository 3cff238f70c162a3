<?php
// Router of the beta farm's one PHP backend (`php -S`, behind the nginx edge): it
// picks the wiki from the Host header, as Wikimedia's multiversion does, and
// loads that wiki's LocalSettings.php from one code tree. URLs are beta's:
// /w/index.php, /w/api.php, /wiki/Title; static files under /w/ are served as
// they are (docroot/w is a link to MediaWiki). FARM_BETA_STATE names the state dir.
$state = getenv( 'FARM_BETA_STATE' );
$hosts = require "$state/hosts.php"; // hostname => dbname, written by start
$host = strtolower( preg_replace( '/:\d+$/', '', $_SERVER['HTTP_HOST'] ?? '' ) );
if ( !isset( $hosts[$host] ) ) {
	http_response_code( 404 );
	header( 'Content-Type: text/plain' );
	echo "No wiki at '$host' on this farm.\n";
	return true;
}
define( 'MW_CONFIG_FILE', "$state/{$hosts[$host]}/LocalSettings.php" );

$path = parse_url( $_SERVER['REQUEST_URI'], PHP_URL_PATH ) ?? '/';
$script = null;
if ( $path === '/' || $path === '' ) {
	$script = 'index.php';
} elseif ( str_starts_with( $path, '/wiki/' ) ) {
	$_GET['title'] = rawurldecode( substr( $path, strlen( '/wiki/' ) ) );
	$script = 'index.php';
} elseif ( preg_match( '#^/w/([a-z0-9_]+\.php)$#', $path, $m ) ) {
	$script = $m[1];
}
if ( $script === null ) {
	return false; // a static file under /w/ (skins, resources)
}
$_SERVER['SCRIPT_NAME'] = "/w/$script";
$_SERVER['PHP_SELF'] = "/w/$script";
$_SERVER['SCRIPT_FILENAME'] = $_SERVER['DOCUMENT_ROOT'] . "/w/$script";
if ( !is_file( $_SERVER['SCRIPT_FILENAME'] ) ) {
	return false;
}
chdir( dirname( $_SERVER['SCRIPT_FILENAME'] ) );
require $_SERVER['SCRIPT_FILENAME'];
return true;
