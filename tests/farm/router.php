<?php
// Router for `php -S`: real files (skins, resources) are served as they are, and
// /index.php/Title style URLs reach index.php. Returning false lets the built-in
// server serve the requested path itself.
$path = parse_url( $_SERVER['REQUEST_URI'], PHP_URL_PATH );
if ( $path === '/' || $path === '' ) {
	$_SERVER['SCRIPT_NAME'] = '/index.php';
	$_SERVER['SCRIPT_FILENAME'] = $_SERVER['DOCUMENT_ROOT'] . '/index.php';
	require $_SERVER['SCRIPT_FILENAME'];
	return true;
}
return false;
