<?php
namespace OresFixture;

/**
 * The fake ORES models of one wiki: which models are enabled, their versions and
 * level thresholds ($wgOresFixtureModels), and a deterministic fake score per
 * revision (no scoring service: the score is a function of the revision id, so the
 * same revision always lands in the same levels, in PHP and in SQL alike).
 *
 * Levels are [min, max] ranges of the score in percent, inclusive, like ORES's
 * ThresholdLookup bounds. damaging: the probability the edit is damaging;
 * goodfaith: the probability it was made in good faith (so its "bad" levels sit
 * at the low end).
 */
class Models {
	/** Multiplier and offset per model: spreads consecutive revisions over 0..99. */
	private const HASH = [ 'damaging' => [ 37, 11 ], 'goodfaith' => [ 53, 29 ] ];

	/** @return array<string,array> model name => config, only enabled models */
	public static function enabled(): array {
		global $wgOresFixtureModels;
		$out = [];
		foreach ( $wgOresFixtureModels as $name => $model ) {
			if ( !empty( $model['enabled'] ) && isset( self::HASH[$name] ) ) {
				$out[$name] = $model;
			}
		}
		return $out;
	}

	public static function isEnabled( string $model ): bool {
		return isset( self::enabled()[$model] );
	}

	/**
	 * Thresholds as the filters need them. In the null-threshold fault mode the
	 * threshold source answers null, and parsing it throws, as ORES did in 2017.
	 * @return array<string,array{min:int,max:int}>
	 */
	public static function thresholds( string $model ): array {
		if ( FaultMode::is( FaultMode::NULL_THRESHOLD ) ) {
			$level = array_key_first( self::enabled()[$model]['levels'] ?? [] ) ?? 'maybebad';
			throw new \RuntimeException(
				"Unable to parse threshold: the threshold API returned null for $model/$level" );
		}
		$out = [];
		foreach ( self::enabled()[$model]['levels'] ?? [] as $level => [ $min, $max ] ) {
			$out[$level] = [ 'min' => $min, 'max' => $max ];
		}
		return $out;
	}

	/**
	 * What meta=ores reports: the lower bound of each damaging level but
	 * likelygood (as ORES's damagingthresholds), as a probability; null per level
	 * in the null-threshold fault mode (what the threshold API returned in 2017).
	 * @return array<string,float|null>
	 */
	public static function apiDamagingThresholds(): array {
		$out = [];
		foreach ( self::enabled()['damaging']['levels'] ?? [] as $level => [ $min, $max ] ) {
			if ( $level !== 'likelygood' ) {
				$out[$level] = FaultMode::is( FaultMode::NULL_THRESHOLD ) ? null : $min / 100;
			}
		}
		return $out;
	}

	/** Fake score of a revision in percent (0..99). */
	public static function score( string $model, int $revId ): int {
		[ $mul, $add ] = self::HASH[$model];
		return ( $revId * $mul + $add ) % 100;
	}

	/** The same score as an SQL expression over a revision id column. */
	public static function scoreSql( string $model, string $column ): string {
		[ $mul, $add ] = self::HASH[$model];
		return "(($column * $mul + $add) % 100)";
	}

	/**
	 * SQL condition: the revision's score lies in any of the given levels' ranges
	 * (several selected levels of one group are OR-ed, like ORES's range filter).
	 * @param string[] $levels
	 */
	public static function rangeSql( string $model, array $levels, string $column ): ?string {
		$thresholds = self::thresholds( $model );
		$parts = [];
		foreach ( $levels as $level ) {
			if ( isset( $thresholds[$level] ) ) {
				$t = $thresholds[$level];
				$parts[] = self::scoreSql( $model, $column ) . " BETWEEN {$t['min']} AND {$t['max']}";
			}
		}
		return $parts ? '(' . implode( ' OR ', $parts ) . ')' : null;
	}

	/** Whether a revision is in a level (for row CSS classes). */
	public static function inLevel( string $model, array $bounds, int $revId ): bool {
		$score = self::score( $model, $revId );
		return $revId > 0 && $score >= $bounds['min'] && $score <= $bounds['max'];
	}
}
