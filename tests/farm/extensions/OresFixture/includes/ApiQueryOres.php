<?php
namespace OresFixture;

use ApiQueryBase;
use ApiResult;
use MediaWiki\MediaWikiServices;
use WikiMap;

/**
 * action=query&meta=ores in the ORES extension's format: baseurl, wikiid,
 * models (name => {version}), excludebots, damagingthresholds (level => lower
 * bound, null per level in the null-threshold fault mode), namespaces.
 */
class ApiQueryOres extends ApiQueryBase {
	public function __construct( $query, $moduleName ) {
		parent::__construct( $query, $moduleName, 'ores' );
	}

	public function execute() {
		$data = [
			'baseurl' => 'http://127.0.0.1:1/ores-fixture-has-no-service/',
			'wikiid' => WikiMap::getCurrentWikiId(),
			'models' => [],
			'excludebots' => true,
			'damagingthresholds' => Models::apiDamagingThresholds(),
			'namespaces' => MediaWikiServices::getInstance()->getNamespaceInfo()->getValidNamespaces(),
		];
		ApiResult::setArrayType( $data['models'], 'assoc' );
		ApiResult::setArrayType( $data['damagingthresholds'], 'assoc' );
		ApiResult::setIndexedTagName( $data['namespaces'], 'ns' );
		foreach ( Models::enabled() as $name => $model ) {
			$data['models'][$name] = [ 'version' => (string)( $model['version'] ?? '0.0.0' ) ];
		}
		$this->getResult()->addValue( [ 'query' ], 'ores', $data );
	}

	public function getCacheMode( $params ) {
		return 'public';
	}

	public function getAllowedParams() {
		return [];
	}

	protected function getExamplesMessages() {
		return [ 'action=query&meta=ores' => 'apihelp-query+ores-example-simple' ];
	}
}
