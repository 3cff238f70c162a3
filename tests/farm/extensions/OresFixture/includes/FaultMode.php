<?php
namespace OresFixture;

/**
 * The farm's per-wiki fault switch: the file <state>/fault-<wiki>, written by
 * tests/farm/fault and read again on every request, so a switch takes effect
 * at once without restarting the server.
 */
class FaultMode {
	public const NONE = 'none';
	/** Thresholds are null: building the ORES filter groups throws (the 2017 incident). */
	public const NULL_THRESHOLD = 'null-threshold';
	/** The ORES filter groups are silently not registered (the post-2017 failure mode). */
	public const SILENT = 'silent';
	/** A PHP warning is printed into the page. */
	public const WARNING = 'warning';
	/** RecentChanges' query joins a missing table: a real database query error. */
	public const DB = 'db';
	/**
	 * Contributions keeps ORES's "hide good edits" box but no threshold reaches
	 * the pager: hidenondamaging is silently ignored and no row carries ORES's
	 * score or flag (real ORES: Helpers::getThreshold() null for the user's level).
	 */
	public const UNSCORED = 'unscored';

	private const ALL = [ self::NONE, self::NULL_THRESHOLD, self::SILENT, self::WARNING, self::DB, self::UNSCORED ];

	/** @var string|null memo for the current request */
	private static $current = null;

	public static function current(): string {
		if ( self::$current === null ) {
			global $wgOresFixtureStateDir, $wgOresFixtureWiki;
			$mode = self::NONE;
			$path = "$wgOresFixtureStateDir/fault-$wgOresFixtureWiki";
			if ( $wgOresFixtureStateDir !== '' && is_readable( $path ) ) {
				$text = trim( (string)file_get_contents( $path ) );
				// An unknown word in the file is a farm bug; fail loudly rather than look healthy.
				if ( !in_array( $text, self::ALL, true ) ) {
					throw new \RuntimeException( "OresFixture: unknown fault mode '$text' in $path" );
				}
				$mode = $text;
			}
			self::$current = $mode;
		}
		return self::$current;
	}

	public static function is( string $mode ): bool {
		return self::current() === $mode;
	}

	/**
	 * Print a real PHP warning into the page: display_errors is switched on for
	 * this request only, and MediaWiki's error handler passes E_USER_WARNING on
	 * to PHP's own output.
	 */
	public static function emitWarning( string $where ): void {
		ini_set( 'display_errors', '1' );
		ini_set( 'html_errors', '0' );
		trigger_error( "OresFixture: undefined threshold level 'maybebad' in $where", E_USER_WARNING );
	}
}
