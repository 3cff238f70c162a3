<?php
namespace OresFixture;

use ApiBase;
use ApiQueryBase;
use Wikimedia\ParamValidator\ParamValidator;

/**
 * The ORES extension's api.php surface on list=recentchanges, list=watchlist
 * and list=usercontribs: the prop value "oresscores" (per-row scores) and the
 * show values "oresreview" / "!oresreview" (edits that need review: damaging
 * at the maybebad level). Fault modes as on the pages:
 *   silent          nothing is registered: api.php answers 200 with the warning
 *                   'Unrecognized value for parameter "rcprop": oresscores'
 *   null-threshold  a request using oresreview throws (thresholds unreadable),
 *                   so api.php answers internal_api_error_RuntimeException
 */
class ApiHooks {
	/** Module name => parameter prefix, as core names them. */
	private const MODULES = [ 'recentchanges' => 'rc', 'watchlist' => 'wl', 'usercontribs' => 'uc' ];

	/** APIGetAllowedParams: the extra prop and show values. */
	public static function onAPIGetAllowedParams( ApiBase $module, array &$params, int $flags ) {
		$name = $module->getModuleName();
		if ( !isset( self::MODULES[$name] ) || !Models::isEnabled( 'damaging' ) ) {
			return;
		}
		if ( FaultMode::is( FaultMode::SILENT ) ) {
			return;
		}
		if ( FaultMode::is( FaultMode::NULL_THRESHOLD ) && !( $flags & ApiBase::GET_VALUES_FOR_HELP ) ) {
			$show = (string)$module->getRequest()->getVal( self::MODULES[$name] . 'show', '' );
			if ( str_contains( $show, 'oresreview' ) ) {
				Models::thresholds( 'damaging' );  // throws, as ORES did in 2017
			}
		}
		$params['prop'][ParamValidator::PARAM_TYPE][] = 'oresscores';
		$params['show'][ParamValidator::PARAM_TYPE][] = 'oresreview';
		$params['show'][ParamValidator::PARAM_TYPE][] = '!oresreview';
	}

	/**
	 * ApiQueryWatchlistPrepareWatchedItemQueryServiceOptions: core's watched-item
	 * query asserts it knows every filter, so ORES's own values are taken out of
	 * it (as the real extension does; the fixture then does not filter by them).
	 */
	public static function onApiQueryWatchlistPrepareWatchedItemQueryServiceOptions(
		ApiQueryBase $module, array $params, array &$options
	) {
		if ( isset( $options['filters'] ) ) {
			$options['filters'] = array_values( array_diff( $options['filters'], [ 'oresreview', '!oresreview' ] ) );
		}
	}

	/** ApiQueryBaseProcessRow (recentchanges, usercontribs): scores on rows that have a revision. */
	public static function onApiQueryBaseProcessRow( ApiQueryBase $module, $row, array &$data, array &$hookData ) {
		$name = $module->getModuleName();
		if ( !isset( self::MODULES[$name] ) || FaultMode::is( FaultMode::SILENT ) || !Models::isEnabled( 'damaging' ) ) {
			return true;
		}
		$prop = (string)$module->getRequest()->getVal( self::MODULES[$name] . 'prop', '' );
		if ( !in_array( 'oresscores', explode( '|', $prop ), true ) ) {
			return true;
		}
		$revId = (int)( $row->rc_this_oldid ?? $row->rev_id ?? 0 );
		if ( $revId > 0 ) {
			$scores = [];
			foreach ( Models::enabled() as $model => $_ ) {
				$p = Models::score( $model, $revId ) / 100;
				$scores[$model] = [ 'true' => $p, 'false' => round( 1 - $p, 2 ) ];
			}
			$data['oresscores'] = $scores;
		}
		return true;
	}
}
