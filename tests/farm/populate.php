<?php
// Fills a freshly installed farm wiki: accounts with the passwords from state/,
// a bot password, a few dozen edits by two users, a watchlist and ORES-related
// preferences. Run once per wiki by `start` (MW_CONFIG_FILE selects the wiki).
// Passwords are read from files so they never appear on a command line.

$IP = getenv( 'MW_INSTALL_PATH' ) ?: '/usr/share/mediawiki';
require_once "$IP/maintenance/Maintenance.php";

use MediaWiki\MediaWikiServices;
use MediaWiki\Revision\SlotRecord;

class FarmPopulate extends Maintenance {
	public function __construct() {
		parent::__construct();
		$this->addDescription( 'Create farm accounts, edits and watchlists' );
		$this->addOption( 'state', 'Farm state directory', true, true );
		$this->addOption( 'local-page-only', 'Only the page with a title in the wiki\'s '
			. 'language (fr, ru); for a copy of an already populated wiki (beta farm)' );
	}

	private function readSecret( string $name ): string {
		$path = $this->getOption( 'state' ) . "/$name";
		$text = file_get_contents( $path );
		if ( $text === false || $text === '' ) {
			$this->fatalError( "cannot read $path" );
		}
		return $text;
	}

	private function createUser( string $name, string $password, array $groups ): User {
		$services = MediaWikiServices::getInstance();
		$user = $services->getUserFactory()->newFromName( $name );
		if ( $user->idForName() === 0 ) {
			$status = $services->getAuthManager()->autoCreateUser(
				$user, MediaWiki\Auth\AuthManager::AUTOCREATE_SOURCE_MAINT, false );
			if ( !$status->isGood() ) {
				$this->fatalError( "creating $name: " . $status->getMessage( false, false, 'en' )->text() );
			}
		}
		$status = $user->changeAuthenticationData( [
			'username' => $name, 'password' => $password, 'retype' => $password,
		] );
		if ( !$status->isGood() ) {
			$this->fatalError( "password of $name: " . $status->getMessage( false, false, 'en' )->text() );
		}
		$services->getUserGroupManager()->addUserToMultipleGroups( $user, $groups );
		return $user;
	}

	private function edit( User $user, string $title, string $text, string $summary ): void {
		$services = MediaWikiServices::getInstance();
		$page = $services->getWikiPageFactory()->newFromTitle( Title::newFromText( $title ) );
		$updater = $page->newPageUpdater( $user );
		$updater->setContent( SlotRecord::MAIN, ContentHandler::makeContent( $text, $page->getTitle() ) );
		$updater->saveRevision( CommentStoreComment::newUnsavedComment( $summary ) );
		$status = $updater->getStatus();
		if ( !$status->isOK() ) {
			$this->fatalError( "edit of $title: " . $status->getMessage( false, false, 'en' )->text() );
		}
	}

	/** The page titled in the wiki's own language (fr, ru), or null. */
	private function localTitle(): ?string {
		$lang = MediaWikiServices::getInstance()->getContentLanguage()->getCode();
		return [ 'ru' => 'Тестовая страница', 'fr' => 'Page d’essai' ][$lang] ?? null;
	}

	public function execute() {
		$services = MediaWikiServices::getInstance();
		if ( $this->hasOption( 'local-page-only' ) ) {
			$title = $this->localTitle();
			if ( $title !== null ) {
				$userFactory = $services->getUserFactory();
				$editor = $userFactory->newFromName( 'Editor1' );
				$qa = $userFactory->newFromName( 'CrawlerQA' );
				$this->edit( $editor, $title, "Page $title, created by Editor1.", "create $title" );
				$this->edit( $qa, $title, "Page $title, created by Editor1.\n\nChecked by CrawlerQA.", 'QA check' );
			}
			return;
		}
		$qaPassword = $this->readSecret( 'qa.password' );
		$editorPassword = $this->readSecret( 'editor.password' );
		$bot = explode( "\n", $this->readSecret( 'qa.botpassword' ) );

		$qa = $this->createUser( 'CrawlerQA', $qaPassword, [] );
		$editor = $this->createUser( 'Editor1', $editorPassword, [ 'autoconfirmed' ] );

		$botPassword = BotPassword::newUnsaved( [
			'user' => $qa, 'appId' => 'crawler', 'grants' => [ 'basic', 'highvolume' ],
		] );
		$status = $botPassword->save( 'insert',
			$services->getPasswordFactory()->newFromPlaintext( $bot[1] ) );
		if ( !$status->isGood() ) {
			$this->fatalError( 'bot password: ' . $status->getMessage( false, false, 'en' )->text() );
		}

		// Preferences the fixture honours on the ORES-like code paths (same names as ORES).
		$options = $services->getUserOptionsManager();
		$options->setOption( $qa, 'ores-enabled', 1 );
		$options->setOption( $qa, 'oresHighlight', 1 );
		$options->setOption( $qa, 'oresDamagingPref', 'maybebad' );
		$options->setOption( $qa, 'rcOresDamagingPref', 'maybebad' );
		$options->setOption( $qa, 'oresRCHideNonDamaging', 0 );
		$options->setOption( $qa, 'oresWatchlistHideNonDamaging', 0 );
		$options->setOption( $qa, 'watchlistdays', 30 );
		$options->setOption( $qa, 'rcdays', 30 );
		$options->saveOptions( $qa );

		$pages = [ 'Alpha', 'Bravo', 'Charlie', 'Delta', 'Echo', 'Foxtrot', 'Golf', 'Hotel' ];
		if ( $this->localTitle() !== null ) {
			$pages[] = $this->localTitle();
		}
		foreach ( $pages as $i => $title ) {
			$this->edit( $editor, $title, "Page $title, created by Editor1.", "create $title" );
			$this->edit( $qa, $title, "Page $title, created by Editor1.\n\nChecked by CrawlerQA.", 'QA check' );
			$this->edit( $editor, $title, "Page $title, expanded by Editor1.\n\nChecked by CrawlerQA.\n\n== More ==\nText $i.", 'expand' );
			$this->edit( $qa, "User:CrawlerQA/Notes $i", "QA note $i on [[$title]].", "note $i" );
			$this->edit( $editor, "Talk:$title", "Talk about [[$title]] ($i).", 'talk' );
		}

		$watched = $services->getWatchedItemStore();
		$watchTitles = array_slice( $pages, 0, 6 );
		$watchTitles[] = 'Talk:Alpha';
		foreach ( $watchTitles as $title ) {
			$watched->addWatch( $qa, Title::newFromText( $title ) );
		}
		// Editor1's edits after the watch, so the watchlist shows other people's changes.
		foreach ( array_slice( $pages, 0, 6 ) as $title ) {
			$this->edit( $editor, $title, "Page $title, revised by Editor1 after CrawlerQA watched it.", 'revise' );
		}
		$this->edit( $editor, 'Talk:Alpha', 'Reply on the talk page of [[Alpha]].', 'reply' );
	}
}

$maintClass = FarmPopulate::class;
require_once RUN_MAINTENANCE_IF_MAIN;
