<?php
namespace OresFixture;

use ChangesListBooleanFilterGroup;
use ChangesListSpecialPage;
use ChangesListStringOptionsFilterGroup;
use IContextSource;
use MediaWiki\MediaWikiServices;
use RecentChange;
use SpecialWatchlist;

/**
 * Hook handlers giving RecentChanges, Watchlist and Contributions the ORES
 * extension's user-facing surface: the structured filter groups damaging and
 * goodfaith (in wgStructuredChangeFilters), the legacy hidenondamaging filter,
 * and hidenondamaging on Contributions. Rows are filtered by the fake scores of
 * Models. Each handler first honours the wiki's fault mode (FaultMode).
 */
class Hooks {
	/** Level order and the message key stem of each level, per model (as ORES names them). */
	private const LEVELS = [
		'damaging' => [
			'likelygood' => 'likelygood', 'maybebad' => 'maybebad',
			'likelybad' => 'likelybad', 'verylikelybad' => 'verylikelybad',
		],
		'goodfaith' => [
			'likelygood' => 'good', 'maybebad' => 'maybebad',
			'likelybad' => 'bad', 'verylikelybad' => 'verylikelybad',
		],
	];

	/**
	 * ChangesListSpecialPageStructuredFilters: register the ORES groups on
	 * RecentChanges and Watchlist (not on RecentChangesLinked, as ORES).
	 */
	public static function onChangesListSpecialPageStructuredFilters( ChangesListSpecialPage $page ) {
		if ( $page->getName() === 'Recentchangeslinked' ) {
			return;
		}
		$mode = FaultMode::current();
		if ( $mode === FaultMode::SILENT ) {
			return;
		}
		if ( $mode === FaultMode::WARNING ) {
			FaultMode::emitWarning( $page->getName() );
		}
		foreach ( [ 'damaging' => 2, 'goodfaith' => 1 ] as $model => $priority ) {
			if ( Models::isEnabled( $model ) ) {
				// Throws in the null-threshold fault mode.
				self::registerModelGroup( $page, $model, $priority, Models::thresholds( $model ) );
			}
		}
		if ( Models::isEnabled( 'damaging' ) ) {
			self::registerLegacyGroup( $page );
		}
	}

	private static function registerModelGroup(
		ChangesListSpecialPage $page, string $model, int $priority, array $thresholds
	): void {
		$filters = [];
		foreach ( self::LEVELS[$model] as $level => $stem ) {
			if ( !isset( $thresholds[$level] ) ) {
				// ORES registers a level only when its threshold exists.
				continue;
			}
			$bounds = $thresholds[$level];
			$filters[] = [
				'name' => $level,
				'label' => "ores-rcfilters-$model-$stem-label",
				'description' => "ores-rcfilters-$model-$stem-desc",
				'cssClassSuffix' => "$model-$stem",
				'isRowApplicableCallable' => static function ( IContextSource $ctx, RecentChange $rc ) use ( $model, $bounds ) {
					return Models::inLevel( $model, $bounds, (int)$rc->getAttribute( 'rc_this_oldid' ) );
				},
			];
		}
		if ( !$filters ) {
			return;
		}
		$group = new ChangesListStringOptionsFilterGroup( [
			'name' => $model,
			'title' => "ores-rcfilters-$model-title",
			'whatsThisHeader' => "ores-rcfilters-$model-whats-this-header",
			'whatsThisBody' => "ores-rcfilters-$model-whats-this-body",
			'whatsThisUrl' => 'https://www.mediawiki.org/wiki/Special:MyLanguage/Help:New_filters_for_edit_review/Quality_and_Intent_Filters',
			'whatsThisLinkText' => 'ores-rcfilters-whats-this-link-text',
			'priority' => $priority,
			'filters' => $filters,
			'default' => ChangesListStringOptionsFilterGroup::NONE,
			'isFullCoverage' => false,
			'queryCallable' => static function ( $specialClassName, $ctx, $dbr, &$tables, &$fields,
				&$conds, &$query_options, &$join_conds, $selectedValues
			) use ( $model ) {
				$condition = Models::rangeSql( $model, $selectedValues, 'rc_this_oldid' );
				if ( $condition !== null ) {
					$conds[] = $condition;
					// Log entries and external rows have no score.
					$conds[] = 'rc_type NOT IN (' . $dbr->makeList( [ RC_LOG, RC_EXTERNAL ] ) . ')';
				}
			},
		] );
		$levels = array_keys( array_filter( $thresholds ) );
		foreach ( [ [ 'maybebad', 'likelybad' ], [ 'likelybad', 'verylikelybad' ], [ 'maybebad', 'verylikelybad' ] ] as [ $big, $small ] ) {
			if ( in_array( $big, $levels, true ) && in_array( $small, $levels, true ) ) {
				$group->getFilter( $big )->setAsSupersetOf( $group->getFilter( $small ) );
			}
		}
		$user = $page->getUser();
		$options = MediaWikiServices::getInstance()->getUserOptionsLookup();
		if ( $model === 'damaging' ) {
			$isWatchlist = $page instanceof SpecialWatchlist;
			$hideDefault = $options->getBoolOption( $user,
				$isWatchlist ? 'oresWatchlistHideNonDamaging' : 'oresRCHideNonDamaging' );
			$highlight = $options->getBoolOption( $user, $isWatchlist ? 'oresHighlight' : 'ores-damaging-flag-rc' )
				|| $options->getBoolOption( $user, 'oresHighlight' );
			$prefLevel = self::damagingLevelPreference( $page->getContext() );
			if ( $hideDefault && $group->getFilter( $prefLevel ) ) {
				$group->setDefault( $prefLevel );
			}
			if ( $highlight ) {
				// Default highlight colours from the preferred level up, as ORES does.
				$colors = [ 'maybebad' => 'c3', 'likelybad' => 'c4', 'verylikelybad' => 'c5' ];
				$from = array_search( $prefLevel, array_keys( $colors ), true ) ?: 0;
				foreach ( array_slice( $colors, (int)$from, null, true ) as $level => $color ) {
					if ( $group->getFilter( $level ) ) {
						$group->getFilter( $level )->setDefaultHighlightColor( $color );
					}
				}
			}
		}
		$page->registerFilterGroup( $group );
	}

	/** The legacy (non-structured UI) hidenondamaging=1 filter. */
	private static function registerLegacyGroup( ChangesListSpecialPage $page ): void {
		$isWatchlist = $page instanceof SpecialWatchlist;
		$options = MediaWikiServices::getInstance()->getUserOptionsLookup();
		$page->registerFilterGroup( new ChangesListBooleanFilterGroup( [
			'name' => 'ores',
			'filters' => [ [
				'name' => 'hidenondamaging',
				'showHide' => 'ores-damaging-filter',
				'isReplacedInStructuredUi' => true,
				'default' => $options->getBoolOption( $page->getUser(),
					$isWatchlist ? 'oresWatchlistHideNonDamaging' : 'oresRCHideNonDamaging' ),
				'queryCallable' => static function ( $specialClassName, $ctx, $dbr, &$tables, &$fields,
					&$conds, &$query_options, &$join_conds
				) use ( $page ) {
					$conds[] = self::hideNonDamagingSql( self::damagingLevelPreference( $page->getContext() ), 'rc_this_oldid' );
					$conds[] = 'rc_type NOT IN (' . $dbr->makeList( [ RC_LOG, RC_EXTERNAL ] ) . ')';
				},
			] ],
		] ) );
	}

	/** The user's damaging level for hidenondamaging (Watchlist and RC have separate preferences). */
	private static function damagingLevelPreference( IContextSource $ctx ): string {
		$isWatchlist = $ctx->getTitle() && $ctx->getTitle()->isSpecial( 'Watchlist' );
		$level = MediaWikiServices::getInstance()->getUserOptionsLookup()->getOption(
			$ctx->getUser(), $isWatchlist ? 'oresDamagingPref' : 'rcOresDamagingPref' );
		// Old level names, as ORES maps them.
		$map = [ 'hard' => 'verylikelybad', 'soft' => 'likelybad', 'softest' => 'maybebad' ];
		return $map[$level] ?? ( is_string( $level ) && $level !== '' ? $level : 'maybebad' );
	}

	/** Rows whose damaging score reaches the lower bound of $level. */
	private static function hideNonDamagingSql( string $level, string $column ): string {
		$thresholds = Models::thresholds( 'damaging' );
		$min = $thresholds[$level]['min'] ?? $thresholds['maybebad']['min'] ?? 50;
		return Models::scoreSql( 'damaging', $column ) . " >= $min";
	}

	/**
	 * ChangesListSpecialPageQuery: in the db fault mode, RecentChanges joins a
	 * table that does not exist, so its main query fails inside MediaWiki's DB layer.
	 */
	public static function onChangesListSpecialPageQuery(
		$name, &$tables, &$fields, &$conds, &$query_options, &$join_conds, $opts
	) {
		if ( $name === 'Recentchanges' && FaultMode::is( FaultMode::DB ) ) {
			$tables['ores_fixture_missing'] = 'ores_fixture_missing';
			$join_conds['ores_fixture_missing'] = [ 'LEFT JOIN', 'ofm_rev = rc_this_oldid' ];
		}
	}

	/** Whether Contributions should hide non-damaging edits (the form box or the preference). */
	private static function hideNonDamagingOnContributions( IContextSource $ctx ): bool {
		$request = $ctx->getRequest();
		$checkbox = $request->getBool( 'hidenondamaging' );
		// A submitted form always carries 'limit'; then only the box counts.
		if ( $request->getBool( 'limit' ) ) {
			return $checkbox;
		}
		return $checkbox || MediaWikiServices::getInstance()->getUserOptionsLookup()
			->getBoolOption( $ctx->getUser(), 'oresRCHideNonDamaging' );
	}

	/** ContribsPager::getQueryInfo: hidenondamaging on Special:Contributions. */
	public static function onContribsPagerGetQueryInfo( $pager, &$queryInfo ) {
		if ( !Models::isEnabled( 'damaging' ) || FaultMode::is( FaultMode::SILENT ) || FaultMode::is( FaultMode::UNSCORED ) ) {
			return;
		}
		if ( !self::hideNonDamagingOnContributions( $pager->getContext() ) ) {
			return;
		}
		// Throws in the null-threshold fault mode.
		$queryInfo['conds'][] = self::hideNonDamagingSql(
			self::damagingLevelPreference( $pager->getContext() ), 'rev_id' );
	}

	/**
	 * The damaging threshold (score in percent) of the user's level on
	 * Contributions, or null when ORES has none to give the pager: ORES's
	 * ContributionsHooksHandler then leaves every row without score and flag.
	 */
	private static function contributionsThreshold( IContextSource $ctx ): ?int {
		if ( !Models::isEnabled( 'damaging' ) || FaultMode::is( FaultMode::SILENT ) ||
			FaultMode::is( FaultMode::UNSCORED ) || FaultMode::is( FaultMode::NULL_THRESHOLD )
		) {
			return null;
		}
		$thresholds = Models::thresholds( 'damaging' );
		$level = self::damagingLevelPreference( $ctx );
		return $thresholds[$level]['min'] ?? $thresholds['maybebad']['min'] ?? null;
	}

	/** Whether ORES's "r" flag and row highlight show (ORES: the oresHighlight preference). */
	private static function flagsShown( IContextSource $ctx ): bool {
		return MediaWikiServices::getInstance()->getUserOptionsLookup()->getBoolOption( $ctx->getUser(), 'oresHighlight' );
	}

	/**
	 * SpecialContributions::formatRow::flags, as ORES: every row with a score
	 * gets its score into the page's oresData; a row at or above the user's
	 * threshold gets the "r" flag when the user highlights.
	 */
	public static function onSpecialContributionsFormatRowFlags( $context, $row, &$flags ) {
		$threshold = self::contributionsThreshold( $context );
		if ( $threshold === null || !isset( $row->rev_id ) ) {
			return;
		}
		$score = Models::score( 'damaging', (int)$row->rev_id );
		$out = $context->getOutput();
		$data = $out->getProperty( 'oresData' ) ?? [];
		$data[(int)$row->rev_id] = [ 'damaging' => $score / 100 ];
		$out->setProperty( 'oresData', $data );
		if ( $score >= $threshold && self::flagsShown( $context ) ) {
			array_unshift( $flags, \ChangesList::flag( 'damaging' ) );
		}
	}

	/** ContributionsLineEnding, as ORES: the row classes of a flagged row. */
	public static function onContributionsLineEnding( $pager, &$ret, $row, &$classes, &$attribs ) {
		$threshold = self::contributionsThreshold( $pager->getContext() );
		if ( $threshold === null || !isset( $row->rev_id ) ) {
			return;
		}
		if ( Models::score( 'damaging', (int)$row->rev_id ) >= $threshold && self::flagsShown( $pager->getContext() ) ) {
			$classes[] = 'ores-highlight';
			$classes[] = 'damaging';
		}
	}

	/** BeforePageDisplay, as ORES: the rows' scores and the thresholds go to the page's JS config. */
	public static function onBeforePageDisplay( $out, $skin ) {
		$data = $out->getProperty( 'oresData' );
		if ( $data === null ) {
			return;
		}
		$thresholds = [];
		foreach ( Models::thresholds( 'damaging' ) as $level => $bounds ) {
			if ( $level !== 'likelygood' ) {
				$thresholds[$level] = $bounds['min'] / 100;
			}
		}
		$out->addJsConfigVars( 'oresData', $data );
		$out->addJsConfigVars( 'oresThresholds', [ 'damaging' => $thresholds ] );
	}

	/** SpecialContributions::getForm::filters: the "hide good edits" box. */
	public static function onSpecialContributionsGetFormFilters( $page, &$filters ) {
		if ( !Models::isEnabled( 'damaging' ) || FaultMode::is( FaultMode::SILENT ) ) {
			return;
		}
		if ( FaultMode::is( FaultMode::WARNING ) ) {
			FaultMode::emitWarning( 'Contributions' );
		}
		$filters[] = [
			'type' => 'check',
			'id' => 'ores-hide-nondamaging',
			'label' => $page->msg( 'ores-hide-nondamaging-filter' )->text(),
			'name' => 'hidenondamaging',
			'default' => self::hideNonDamagingOnContributions( $page->getContext() ),
		];
	}
}
