<?php
namespace OresFixture;

use ApiBase;
use ApiResult;
use MediaWiki\MediaWikiServices;
use Wikimedia\ParamValidator\ParamValidator;
use Wikimedia\ParamValidator\TypeDef\IntegerDef;

/**
 * action=sitematrix in the SiteMatrix extension's format, listing the farm's wikis
 * from $wgOresFixtureSitesFile (written by tests/farm/start): languages in code
 * order, each with its sites (url, dbname, code, lang, sitename; closed => true
 * for closed wikis), 'count', and 'specials' (sites marked "special": true, e.g.
 * the beta farm's commons, meta and test; none in the quick farm). smlimit counts
 * languages; smcontinue is "language|<code>" and is returned under query-continue,
 * as SiteMatrix does.
 */
class ApiSiteMatrix extends ApiBase {
	public function __construct( $main, $moduleName ) {
		parent::__construct( $main, $moduleName, 'sm' );
	}

	/** @return array<string,array[]> language code => sites, sorted by code */
	private function sitesByLanguage(): array {
		$path = $this->getConfig()->get( 'OresFixtureSitesFile' );
		$sites = json_decode( (string)@file_get_contents( $path ), true );
		if ( !is_array( $sites ) ) {
			$this->dieWithError( [ 'apierror-ores-fixture-nosites', $path ], 'nosites' );
		}
		$byLang = [];
		foreach ( $sites as $site ) {
			if ( empty( $site['special'] ) ) {
				$byLang[$site['lang']][] = $site;
			}
		}
		ksort( $byLang, SORT_STRING );
		return $byLang;
	}

	public function execute() {
		$params = $this->extractRequestParams();
		$type = array_flip( $params['type'] );
		$state = array_flip( $params['state'] );
		$langProp = array_flip( $params['langprop'] );
		$siteProp = array_flip( $params['siteprop'] );
		$limit = $params['limit'];
		$continue = isset( $params['continue'] ) ? explode( '|', $params['continue'] ) : [ 'language', '' ];
		$this->dieContinueUsageIf( count( $continue ) != 2 );
		$all = isset( $state['all'] );
		$wantClosed = isset( $state['closed'] );

		$byLang = $this->sitesByLanguage();
		$specialSites = array_values( array_filter(
			json_decode( (string)@file_get_contents( $this->getConfig()->get( 'OresFixtureSitesFile' ) ), true ),
			static fn ( $s ) => !empty( $s['special'] ) ) );
		$services = MediaWikiServices::getInstance();
		$names = $services->getLanguageNameUtils()->getLanguageNames();
		$localNames = $services->getLanguageNameUtils()->getLanguageNames( $this->getLanguage()->getCode() );

		$out = [ 'count' => array_sum( array_map( 'count', $byLang ) ) + count( $specialSites ) ];
		$count = 0;
		if ( isset( $type['language'] ) && $continue[0] === 'language' ) {
			foreach ( $byLang as $lang => $sites ) {
				if ( strcmp( $lang, $continue[1] ) < 0 ) {
					continue;
				}
				if ( $count >= $limit ) {
					$this->getResult()->addValue( 'query-continue', $this->getModuleName(),
						[ $this->encodeParamName( 'continue' ) => "language|$lang" ], ApiResult::NO_SIZE_CHECK );
					break;
				}
				$language = [
					'code' => $lang,
					'name' => $names[$lang] ?? null,
					'site' => [],
					'dir' => $services->getLanguageFactory()->getLanguage( $lang )->getDir(),
				];
				if ( isset( $localNames[$lang] ) ) {
					$language['localname'] = $localNames[$lang];
				}
				$language = array_intersect_key( $language, $langProp );
				if ( isset( $language['site'] ) ) {
					foreach ( $sites as $site ) {
						$siteOut = array_intersect_key( [
							'url' => $site['url'],
							'dbname' => $site['dbname'],
							'code' => $site['code'] ?? 'wiki',
							'lang' => $lang,
							'sitename' => $site['sitename'],
						], $siteProp );
						// As SiteMatrix: open wikis only under smstate=all, closed ones under all or closed.
						$show = false;
						if ( !empty( $site['closed'] ) ) {
							$siteOut['closed'] = true;
							$show = $wantClosed;
						}
						if ( $show || $all ) {
							$language['site'][] = $siteOut;
						}
					}
					ApiResult::setIndexedTagName( $language['site'], 'site' );
				}
				$count++;
				$out[] = $language;
			}
		}
		ApiResult::setIndexedTagName( $out, 'language' );
		$this->getResult()->addValue( null, 'sitematrix', $out );
		if ( isset( $type['special'] ) && $count < $limit ) {
			$specials = [];
			foreach ( $specialSites as $site ) {
				$siteOut = array_intersect_key( [
					'url' => $site['url'],
					'dbname' => $site['dbname'],
					'code' => $site['code'],
					'lang' => $site['lang'],
					'sitename' => $site['sitename'],
				], $siteProp + [ 'lang' => true ] );
				if ( !empty( $site['closed'] ) ) {
					$siteOut['closed'] = true;
				}
				if ( $all || ( $wantClosed && !empty( $site['closed'] ) ) ) {
					$specials[] = $siteOut;
				}
			}
			ApiResult::setIndexedTagName( $specials, 'special' );
			$this->getResult()->addValue( 'sitematrix', 'specials', $specials );
		}
	}

	public function getAllowedParams() {
		return [
			'type' => [
				ParamValidator::PARAM_ISMULTI => true,
				ParamValidator::PARAM_TYPE => [ 'special', 'language' ],
				ParamValidator::PARAM_DEFAULT => 'special|language',
			],
			'state' => [
				ParamValidator::PARAM_ISMULTI => true,
				ParamValidator::PARAM_TYPE => [ 'all', 'closed', 'private', 'fishbowl', 'nonglobal' ],
				ParamValidator::PARAM_DEFAULT => 'all',
			],
			'langprop' => [
				ParamValidator::PARAM_ISMULTI => true,
				ParamValidator::PARAM_TYPE => [ 'code', 'name', 'site', 'dir', 'localname' ],
				ParamValidator::PARAM_DEFAULT => 'code|name|site|dir|localname',
			],
			'siteprop' => [
				ParamValidator::PARAM_ISMULTI => true,
				ParamValidator::PARAM_TYPE => [ 'url', 'dbname', 'code', 'lang', 'sitename' ],
				ParamValidator::PARAM_DEFAULT => 'url|dbname|code|sitename',
			],
			'limit' => [
				ParamValidator::PARAM_DEFAULT => 5000,
				ParamValidator::PARAM_TYPE => 'limit',
				IntegerDef::PARAM_MIN => 1,
				IntegerDef::PARAM_MAX => 5000,
				IntegerDef::PARAM_MAX2 => 5000,
			],
			'continue' => [
				ApiBase::PARAM_HELP_MSG => 'api-help-param-continue',
			],
		];
	}

	protected function getExamplesMessages() {
		return [ 'action=sitematrix' => 'apihelp-sitematrix-example-1' ];
	}
}
