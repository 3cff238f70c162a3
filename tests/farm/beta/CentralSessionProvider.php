<?php
// A CentralAuth-like single login for the beta-like farm, as small as it can be.
//
// On the beta cluster one clientlogin on any wiki also sets CentralAuth's
// central cookies on the wiki family's parent domain (.wikipedia.beta.wmcloud.org,
// .wikimedia.beta.wmcloud.org, ...) and keeps a central session in a shared
// store; every other wiki of that family sees those cookies and starts a local
// session for the user without any password. This provider does the same:
//  - the local session is MediaWiki's own (CookieSessionProvider: host-only
//    WIKI_session / WIKIUserID / WIKIUserName cookies, per-wiki store keys);
//  - when a logged-in session is persisted, it also sets farmcentral_User and
//    farmcentral_Session on the family's domain (`centralDomain`) and stores
//    the user name under a global key of the shared object cache (one
//    wikicache.sqlite for the whole farm);
//  - a request without a logged-in local session but with valid central cookies
//    gets a fresh local session for that user (persisted: it gets its own
//    WIKI_session cookie);
//  - logging out ends both.
// Accounts have the same id and name on every farm wiki (one copied database),
// which is what CentralAuth's global accounts give in production.
// `tests/farm/kill-sessions` deletes a wiki's local sessions and the central
// ones, so a lost session stays lost, as when the session store is flushed.
use MediaWiki\Session\CookieSessionProvider;
use MediaWiki\Session\SessionBackend;
use MediaWiki\Session\SessionInfo;
use MediaWiki\Session\UserInfo;

class FarmCentralSessionProvider extends CookieSessionProvider {
	private const COOKIE_USER = 'farmcentral_User';
	private const COOKIE_SESSION = 'farmcentral_Session';
	private const TTL = 86400;

	private function centralStore() {
		return ObjectCache::getLocalClusterInstance();
	}

	private function centralKey( string $id ): string {
		return $this->centralStore()->makeGlobalKey( 'farm-central-session', $id );
	}

	private function centralCookieOptions(): array {
		return [ 'prefix' => '', 'domain' => $this->params['centralDomain'] ] + $this->cookieOptions;
	}

	/** The user name the request's central cookies stand for, or null. */
	private function centralUser( WebRequest $request ): ?string {
		$name = $request->getCookie( self::COOKIE_USER, '' );
		$id = $request->getCookie( self::COOKIE_SESSION, '' );
		if ( !is_string( $name ) || $name === '' || !is_string( $id ) || !preg_match( '/^[0-9a-f]{32}$/', $id ) ) {
			return null;
		}
		$stored = $this->centralStore()->get( $this->centralKey( $id ) );
		return is_string( $stored ) && hash_equals( $stored, $name ) ? $name : null;
	}

	public function provideSessionInfo( WebRequest $request ) {
		$info = parent::provideSessionInfo( $request );
		if ( $info && $info->getUserInfo() && !$info->getUserInfo()->isAnon() ) {
			return $info; // a logged-in local session
		}
		$name = $this->centralUser( $request );
		if ( $name === null ) {
			return $info;
		}
		try {
			$user = UserInfo::newFromName( $name, true );
		} catch ( InvalidArgumentException $e ) {
			return $info;
		}
		if ( !$user->getId() ) {
			return $info; // no such account on this wiki
		}
		// A fresh local session for the central user (never the anonymous one
		// the request may carry: its data belongs to nobody).
		return new SessionInfo( $this->priority, [
			'provider' => $this,
			'userInfo' => $user,
			'persisted' => true,
		] );
	}

	public function persistSession( SessionBackend $session, WebRequest $request ) {
		parent::persistSession( $session, $request );
		$user = $session->getUser();
		if ( $user->isAnon() || $request->response()->headersSent() ) {
			return;
		}
		if ( $this->centralUser( $request ) === $user->getName() ) {
			return; // the central session already stands for this user
		}
		$id = bin2hex( random_bytes( 16 ) );
		$this->centralStore()->set( $this->centralKey( $id ), $user->getName(), self::TTL );
		$options = $this->centralCookieOptions();
		$request->response()->setCookie( self::COOKIE_USER, $user->getName(), null, $options );
		$request->response()->setCookie( self::COOKIE_SESSION, $id, null, $options );
	}

	public function unpersistSession( WebRequest $request ) {
		parent::unpersistSession( $request );
		$id = $request->getCookie( self::COOKIE_SESSION, '' );
		if ( is_string( $id ) && preg_match( '/^[0-9a-f]{32}$/', $id ) ) {
			$this->centralStore()->delete( $this->centralKey( $id ) );
		}
		if ( !$request->response()->headersSent() ) {
			$options = $this->centralCookieOptions();
			$request->response()->clearCookie( self::COOKIE_USER, $options );
			$request->response()->clearCookie( self::COOKIE_SESSION, $options );
		}
	}
}
