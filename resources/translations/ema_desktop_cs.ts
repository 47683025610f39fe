<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="cs_CZ">
<context>
    <name>AboutBox</name>
    <message>
        <location filename="../../ema_desktop/views/about.py" line="10"/>
        <source>Basemap: national border © ČÚZK, INSPIRE administrative units (CC BY 4.0, via siwekm/czech-geojson); regions and districts © 2021 Jindra Lacko (MIT, jlacko/powerbi-cesko).</source>
        <translation>Podkladová mapa: státní hranice © ČÚZK, správní jednotky INSPIRE (CC BY 4.0, přes siwekm/czech-geojson); kraje a okresy © 2021 Jindra Lacko (MIT, jlacko/powerbi-cesko).</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/about.py" line="20"/>
        <source>About EMA Console</source>
        <translation>O konzoli EMA</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/about.py" line="21"/>
        <source>EMA Console</source>
        <translation>Konzole EMA</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/about.py" line="24"/>
        <source>The operator console of SECTRON&apos;s ElectroMobility Administrator: customers, stations live, tickets and data-protection requests.</source>
        <translation>Operátorská konzole systému ElectroMobility Administrator společnosti SECTRON: zákazníci, stanice v reálném čase, tikety a žádosti o ochranu osobních údajů.</translation>
    </message>
</context>
<context>
    <name>AnswerChannel</name>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="460"/>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="461"/>
        <source>Letter</source>
        <translation>Dopis</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="462"/>
        <source>In the app</source>
        <translation>V aplikaci</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="463"/>
        <source>Phone</source>
        <translation>Telefon</translation>
    </message>
</context>
<context>
    <name>AuditAction</name>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="391"/>
        <source>Signed in</source>
        <translation>Přihlášení</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="392"/>
        <source>Failed sign-in</source>
        <translation>Neúspěšné přihlášení</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="393"/>
        <source>Signed out</source>
        <translation>Odhlášení</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="394"/>
        <source>Reused sign-in token (session ended)</source>
        <translation>Opakované použití přihlašovacího tokenu (relace ukončena)</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="395"/>
        <source>Read the audit trail</source>
        <translation>Čtení auditní stopy</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="396"/>
        <source>Exported the audit trail</source>
        <translation>Export auditní stopy</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="397"/>
        <source>Synced records to a console</source>
        <translation>Synchronizace záznamů do konzole</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="398"/>
        <source>Searched customers</source>
        <translation>Hledání zákazníků</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="399"/>
        <source>Viewed customer</source>
        <translation>Zobrazení zákazníka</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="400"/>
        <source>Created customer</source>
        <translation>Založení zákazníka</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="401"/>
        <source>Changed customer</source>
        <translation>Změna zákazníka</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="402"/>
        <source>Changed customer status</source>
        <translation>Změna stavu zákazníka</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="403"/>
        <source>Added contact person</source>
        <translation>Přidání kontaktní osoby</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="404"/>
        <source>Changed contact person</source>
        <translation>Změna kontaktní osoby</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="405"/>
        <source>Removed contact person</source>
        <translation>Odebrání kontaktní osoby</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="406"/>
        <source>Sent station command</source>
        <translation>Odeslání příkazu stanici</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="407"/>
        <source>Read station messages</source>
        <translation>Čtení zpráv stanice</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="408"/>
        <source>Exported station messages</source>
        <translation>Export zpráv stanice</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="409"/>
        <source>Registered station</source>
        <translation>Registrace stanice</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="410"/>
        <source>Set station password</source>
        <translation>Nastavení hesla stanice</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="411"/>
        <source>Dismissed unknown station</source>
        <translation>Odmítnutí neznámé stanice</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="412"/>
        <source>Opened ticket</source>
        <translation>Založení tiketu</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="413"/>
        <source>Changed ticket</source>
        <translation>Změna tiketu</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="414"/>
        <source>Commented ticket</source>
        <translation>Komentář k tiketu</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="415"/>
        <source>Attached file to ticket</source>
        <translation>Přiložení souboru k tiketu</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="416"/>
        <source>Opened ticket attachment</source>
        <translation>Otevření přílohy tiketu</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="417"/>
        <source>Created operator</source>
        <translation>Založení operátora</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="418"/>
        <source>Changed operator</source>
        <translation>Změna operátora</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="419"/>
        <source>Ended operator&apos;s sessions</source>
        <translation>Ukončení relací operátora</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="420"/>
        <source>Listed privacy requests</source>
        <translation>Výpis žádostí GDPR</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="421"/>
        <source>Viewed privacy request</source>
        <translation>Zobrazení žádosti GDPR</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="422"/>
        <source>Recorded privacy request</source>
        <translation>Zaevidování žádosti GDPR</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="423"/>
        <source>Changed privacy request</source>
        <translation>Změna žádosti GDPR</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="424"/>
        <source>Asked for proof of identity</source>
        <translation>Vyžádání prokázání totožnosti</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="425"/>
        <source>Verified identity</source>
        <translation>Ověření totožnosti</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="426"/>
        <source>Extended deadline</source>
        <translation>Prodloužení lhůty</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="427"/>
        <source>Completed privacy request</source>
        <translation>Vyřízení žádosti GDPR</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="428"/>
        <source>Refused privacy request</source>
        <translation>Zamítnutí žádosti GDPR</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="429"/>
        <source>Executed erasure</source>
        <translation>Provedení výmazu</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="430"/>
        <source>Downloaded data package</source>
        <translation>Stažení balíčku údajů</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="431"/>
        <source>Viewed erasure plan</source>
        <translation>Zobrazení plánu výmazu</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="432"/>
        <source>Viewed erasure report</source>
        <translation>Zobrazení protokolu o výmazu</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="433"/>
        <source>Opened recipient notices</source>
        <translation>Založení oznámení příjemcům</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="434"/>
        <source>Viewed recipient notices</source>
        <translation>Zobrazení oznámení příjemcům</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="435"/>
        <source>Looked up data subject</source>
        <translation>Vyhledání subjektu údajů</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="436"/>
        <source>Built data package</source>
        <translation>Vytvoření balíčku údajů</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="437"/>
        <source>Listed data packages</source>
        <translation>Výpis balíčků údajů</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="438"/>
        <source>Changed consent</source>
        <translation>Změna souhlasu</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="439"/>
        <source>Viewed consents</source>
        <translation>Zobrazení souhlasů</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="440"/>
        <source>Viewed data recipients</source>
        <translation>Zobrazení příjemců údajů</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="441"/>
        <source>Updated recipient notice</source>
        <translation>Aktualizace oznámení příjemci</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="442"/>
        <source>Viewed restrictions</source>
        <translation>Zobrazení omezení zpracování</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="443"/>
        <source>Placed legal hold</source>
        <translation>Uplatnění právní blokace</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="444"/>
        <source>Lifted legal hold</source>
        <translation>Zrušení právní blokace</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="445"/>
        <source>Listed legal holds</source>
        <translation>Výpis právních blokací</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="446"/>
        <source>Retention run</source>
        <translation>Výmaz po uplynutí doby uchování</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="447"/>
        <source>Changed retention period</source>
        <translation>Změna doby uchování</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="448"/>
        <source>Read marketing audience</source>
        <translation>Načtení cílové skupiny marketingu</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="449"/>
        <source>Replayed erasure ledger</source>
        <translation>Opětovné provedení výmazů z evidence</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="450"/>
        <source>Loaded demo data</source>
        <translation>Načtení ukázkových dat</translation>
    </message>
</context>
<context>
    <name>AuditEntity</name>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="462"/>
        <source>customer</source>
        <translation>zákazník</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="463"/>
        <source>ticket</source>
        <translation>tiket</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="464"/>
        <source>device</source>
        <translation>zařízení</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="465"/>
        <source>operator</source>
        <translation>operátor</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="466"/>
        <source>privacy request</source>
        <translation>žádost GDPR</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="467"/>
        <source>unknown station</source>
        <translation>neznámá stanice</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="468"/>
        <source>data package</source>
        <translation>balíček údajů</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="469"/>
        <source>restriction</source>
        <translation>omezení zpracování</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="470"/>
        <source>legal hold</source>
        <translation>právní blokace</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="471"/>
        <source>retention run</source>
        <translation>výmaz po uplynutí doby uchování</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="472"/>
        <source>retention period</source>
        <translation>doba uchování</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="473"/>
        <source>recipient notice</source>
        <translation>oznámení příjemci</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="474"/>
        <source>erasure</source>
        <translation>výmaz</translation>
    </message>
</context>
<context>
    <name>AuditPane</name>
    <message>
        <location filename="../../ema_desktop/views/audit_pane.py" line="86"/>
        <source>Check again</source>
        <translation>Znovu ověřit</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/audit_pane.py" line="88"/>
        <source>Verify every record of the trail against its hash chain</source>
        <translation>Ověřit každý záznam auditní stopy proti jejímu řetězci hashů</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/audit_pane.py" line="97"/>
        <source>Anyone — type a customer&apos;s name or number</source>
        <translation>Kdokoli — zadejte jméno nebo číslo zákazníka</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/audit_pane.py" line="111"/>
        <source>Any operator</source>
        <translation>Libovolný operátor</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/audit_pane.py" line="125"/>
        <source>Any action, or e.g. privacy_request.*</source>
        <translation>Libovolná akce, nebo např. privacy_request.*</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/audit_pane.py" line="130"/>
        <source>Show records</source>
        <translation>Zobrazit záznamy</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/audit_pane.py" line="133"/>
        <source>Clear filters</source>
        <translation>Zrušit filtry</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/audit_pane.py" line="139"/>
        <source>Subject</source>
        <translation>Subjekt údajů</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/audit_pane.py" line="141"/>
        <source>Operator</source>
        <translation>Operátor</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/audit_pane.py" line="143"/>
        <source>Action</source>
        <translation>Akce</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/audit_pane.py" line="148"/>
        <source>To</source>
        <translation>Do</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/audit_pane.py" line="153"/>
        <source>From</source>
        <translation>Od</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/audit_pane.py" line="168"/>
        <source>Export…</source>
        <translation>Exportovat…</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/audit_pane.py" line="170"/>
        <source>Save the records shown (all pages) for the supervisory authority</source>
        <translation>Uložit zobrazené záznamy (všechny stránky) pro dozorový úřad</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/audit_pane.py" line="203"/>
        <source>Load more</source>
        <translation>Načíst další</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/audit_pane.py" line="222"/>
        <source>Select a record to see it in full: its detail and its hashes.</source>
        <translation>Vyberte záznam a zobrazí se celý: jeho podrobnosti a hashe.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/audit_pane.py" line="268"/>
        <source>any</source>
        <translation>kdykoli</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/audit_pane.py" line="310"/>
        <source>Exporting…</source>
        <translation>Exportování…</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/audit_pane.py" line="326"/>
        <source>Records about {label}</source>
        <translation>Záznamy o subjektu {label}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/audit_pane.py" line="339"/>
        <source>Could not load the operators: {message}</source>
        <translation>Operátory se nepodařilo načíst: {message}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/audit_pane.py" line="353"/>
        <source>Could not search customers: {message}</source>
        <translation>Zákazníky se nepodařilo vyhledat: {message}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/audit_pane.py" line="375"/>
        <source>Export audit trail</source>
        <translation>Export auditní stopy</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/audit_pane.py" line="376"/>
        <source>CSV files (*.csv);;JSON with the chain check (*.json)</source>
        <translation>Soubory CSV (*.csv);;JSON s ověřením řetězce (*.json)</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/audit_pane.py" line="392"/>
        <source>Audit trail</source>
        <translation>Auditní stopa</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/audit_pane.py" line="399"/>
        <source>Records about {subject}: {n}</source>
        <translation>Záznamy o subjektu {subject}: {n}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/audit_pane.py" line="401"/>
        <source>Matching records: {n}</source>
        <translation>Odpovídající záznamy: {n}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/audit_pane.py" line="402"/>
        <source>Showing {shown} of {total}, newest first</source>
        <translation>Zobrazeno {shown} z {total}, od nejnovějších</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/audit_pane.py" line="465"/>
        <source>Loading…</source>
        <translation>Načítání…</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/audit_pane.py" line="476"/>
        <source>Could not load the audit trail: {message}</source>
        <translation>Auditní stopu se nepodařilo načíst: {message}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/audit_pane.py" line="484"/>
        <source>Exported to {path}</source>
        <translation>Exportováno do {path}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/audit_pane.py" line="489"/>
        <source>The export failed: {message}</source>
        <translation>Export selhal: {message}</translation>
    </message>
</context>
<context>
    <name>AuditTrailModel</name>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="120"/>
        <source>Time</source>
        <translation>Čas</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="120"/>
        <source>Operator</source>
        <translation>Operátor</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="120"/>
        <source>Action</source>
        <translation>Akce</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="120"/>
        <source>What</source>
        <translation>Čeho se týká</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="121"/>
        <source>Subject</source>
        <translation>Subjekt údajů</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="121"/>
        <source>From where</source>
        <translation>Odkud</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="249"/>
        <source>Checking the audit trail…</source>
        <translation>Ověřování auditní stopy…</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="252"/>
        <source>The audit trail could not be checked: {reason}</source>
        <translation>Auditní stopu se nepodařilo ověřit: {reason}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="254"/>
        <source>The audit trail has not been checked yet.</source>
        <translation>Auditní stopa zatím nebyla ověřena.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="256"/>
        <source>Audit trail intact — {n} records verified</source>
        <translation>Auditní stopa je neporušená — ověřené záznamy: {n}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="259"/>
        <source>Audit trail TAMPERED at record {seq}: {problem}</source>
        <translation>Auditní stopa byla POZMĚNĚNA u záznamu {seq}: {problem}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="260"/>
        <source>the chain does not verify</source>
        <translation>řetězec hashů nesouhlasí</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="298"/>
        <source>Server (command line)</source>
        <translation>Server (příkazový řádek)</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="300"/>
        <source>Server (scheduled)</source>
        <translation>Server (plánovaná úloha)</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="301"/>
        <source>System</source>
        <translation>Systém</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="319"/>
        <source>customer {id}</source>
        <translation>zákazník {id}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="324"/>
        <source>Record {seq} · {time}</source>
        <translation>Záznam {seq} · {time}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="325"/>
        <source>Operator: {name} ({username})</source>
        <translation>Operátor: {name} ({username})</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="327"/>
        <source>Action: {words} ({action})</source>
        <translation>Akce: {words} ({action})</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="331"/>
        <source>Record concerned: {entity} {id}</source>
        <translation>Dotčený záznam: {entity} {id}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="334"/>
        <source>Subject: {label} ({id})</source>
        <translation>Subjekt údajů: {label} ({id})</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="335"/>
        <source>customer</source>
        <translation>zákazník</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="336"/>
        <source>From: {address}</source>
        <translation>Odkud: {address}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="337"/>
        <source>Detail:</source>
        <translation>Podrobnosti:</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="338"/>
        <source>Hash: {hash}</source>
        <translation>Hash: {hash}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="339"/>
        <source>Previous hash: {hash}</source>
        <translation>Předchozí hash: {hash}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/audit.py" line="482"/>
        <source>Every action of: {family}</source>
        <translation>Všechny akce typu: {family}</translation>
    </message>
</context>
<context>
    <name>ChannelStepDialog</name>
    <message>
        <location filename="../../ema_desktop/views/privacy_step_dialogs.py" line="336"/>
        <source>Told by</source>
        <translation>Způsob upozornění</translation>
    </message>
</context>
<context>
    <name>CompletionDialog</name>
    <message>
        <location filename="../../ema_desktop/views/privacy_step_dialogs.py" line="266"/>
        <source>Complete {number}</source>
        <translation>Vyřídit {number}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_step_dialogs.py" line="267"/>
        <source>{right} request: the answer to the subject. The server checks that what the law requires for this right is done.</source>
        <translation>Žádost – {right}: odpověď subjektu údajů. Server ověří, že je splněno vše, co zákon pro toto právo vyžaduje.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_step_dialogs.py" line="269"/>
        <source>Complete</source>
        <translation>Vyřídit</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_step_dialogs.py" line="270"/>
        <source>What was done, as told to the subject</source>
        <translation>Co bylo provedeno, jak to bylo sděleno subjektu údajů</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_step_dialogs.py" line="277"/>
        <source>Outcome</source>
        <translation>Výsledek</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_step_dialogs.py" line="278"/>
        <source>Answer sent by</source>
        <translation>Způsob odpovědi</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_step_dialogs.py" line="286"/>
        <source>Write the outcome.</source>
        <translation>Napište výsledek.</translation>
    </message>
</context>
<context>
    <name>ConflictDialog</name>
    <message>
        <location filename="../../ema_desktop/views/conflict_dialog.py" line="70"/>
        <source>Conflicting change — EMA Console</source>
        <translation>Konfliktní změna — Konzole EMA</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/conflict_dialog.py" line="81"/>
        <source>Your change ({summary}) was made on an older version and has not been sent. Compare the two versions and choose which one to keep.</source>
        <translation>Vaše změna ({summary}) vznikla nad starší verzí a nebyla odeslána. Porovnejte obě verze a vyberte, kterou ponechat.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/conflict_dialog.py" line="105"/>
        <source>Ticket {number} was changed by someone else</source>
        <translation>Tiket {number} mezitím změnil někdo jiný</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/conflict_dialog.py" line="107"/>
        <source>Contact {name} was changed by someone else</source>
        <translation>Kontakt {name} mezitím změnil někdo jiný</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/conflict_dialog.py" line="109"/>
        <source>Privacy request {number} was changed by someone else</source>
        <translation>Žádost GDPR {number} mezitím změnil někdo jiný</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/conflict_dialog.py" line="110"/>
        <source>{record} was changed by someone else</source>
        <translation>Záznam {record} mezitím změnil někdo jiný</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/conflict_dialog.py" line="121"/>
        <source>Field</source>
        <translation>Pole</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/conflict_dialog.py" line="121"/>
        <source>Your version</source>
        <translation>Vaše verze</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/conflict_dialog.py" line="121"/>
        <source>Current on the server</source>
        <translation>Aktuálně na serveru</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/conflict_dialog.py" line="171"/>
        <source>Merge the text</source>
        <translation>Sloučení textu</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/conflict_dialog.py" line="174"/>
        <source>It starts with the text on the server (yellow), then yours (blue). Edit it into one text, then choose Merge.</source>
        <translation>Nejdříve je text ze serveru (žlutě), za ním váš (modře). Upravte je do jednoho textu a zvolte Sloučit.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/conflict_dialog.py" line="204"/>
        <source>Close to decide later; the change waits.</source>
        <translation>Zavřením rozhodnutí odložíte; změna počká.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/conflict_dialog.py" line="208"/>
        <source>Keep theirs</source>
        <translation>Ponechat jejich verzi</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/conflict_dialog.py" line="209"/>
        <source>Drop your change; the version on the server stays.</source>
        <translation>Zahodit vaši změnu; zůstane verze na serveru.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/conflict_dialog.py" line="210"/>
        <source>Apply mine</source>
        <translation>Použít moji verzi</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/conflict_dialog.py" line="211"/>
        <source>Send your version over the one on the server.</source>
        <translation>Odeslat vaši verzi místo verze na serveru.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/conflict_dialog.py" line="212"/>
        <source>Merge</source>
        <translation>Sloučit</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/conflict_dialog.py" line="213"/>
        <source>Send the merged text, with your other changes.</source>
        <translation>Odeslat sloučený text spolu s vašimi ostatními změnami.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/conflict_dialog.py" line="214"/>
        <source>Only text (a title or a description) can be merged.</source>
        <translation>Sloučit lze jen text (název nebo popis).</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/conflict_dialog.py" line="234"/>
        <source>(empty)</source>
        <translation>(prázdné)</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/conflict_dialog.py" line="234"/>
        <source>(nobody)</source>
        <translation>(nikdo)</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/conflict_dialog.py" line="255"/>
        <source>The merged text cannot be empty.</source>
        <translation>Sloučený text nesmí být prázdný.</translation>
    </message>
</context>
<context>
    <name>ConnectionIndicator</name>
    <message>
        <location filename="../../ema_desktop/views/status.py" line="76"/>
        <source>Live updates: {state} since {since}</source>
        <translation>Živé aktualizace: {state} od {since}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/status.py" line="82"/>
        <source>Offline — data as of {time}</source>
        <translation>Offline — data k {time}</translation>
    </message>
</context>
<context>
    <name>ConnectionState</name>
    <message>
        <location filename="../../ema_desktop/views/status.py" line="23"/>
        <source>Connecting…</source>
        <translation>Připojování…</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/status.py" line="24"/>
        <source>Online</source>
        <translation>Online</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/status.py" line="25"/>
        <source>Reconnecting…</source>
        <translation>Obnovování spojení…</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/status.py" line="26"/>
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/status.py" line="27"/>
        <source>Signed out</source>
        <translation>Odhlášeno</translation>
    </message>
</context>
<context>
    <name>ConsentPurpose</name>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="453"/>
        <source>Marketing by e-mail</source>
        <translation>Marketing e-mailem</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="454"/>
        <source>Marketing by push notification</source>
        <translation>Marketing push oznámeními</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="455"/>
        <source>Usage analytics</source>
        <translation>Analýza používání</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="456"/>
        <source>Location</source>
        <translation>Poloha</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="457"/>
        <source>Camera</source>
        <translation>Fotoaparát</translation>
    </message>
</context>
<context>
    <name>Console</name>
    <message>
        <location filename="../../ema_desktop/console.py" line="29"/>
        <source>No OS keyring is available: your sign-in is kept in memory only, so you will sign in again next time.</source>
        <translation>Úložiště hesel operačního systému není k dispozici: přihlášení se uchovává jen v paměti, příště se proto budete přihlašovat znovu.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/console.py" line="34"/>
        <source>Your session has ended. Sign in again.</source>
        <translation>Vaše relace skončila. Přihlaste se znovu.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/console.py" line="35"/>
        <source>No OS keyring is available: local data is kept in memory only and discarded when the console closes.</source>
        <translation>Úložiště hesel operačního systému není k dispozici: místní data se uchovávají jen v paměti a po zavření konzole se zahodí.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/console.py" line="85"/>
        <source>Starting the EMA demo…</source>
        <translation>Spouští se ukázka EMA…</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/console.py" line="86"/>
        <source>EMA Console</source>
        <translation>Konzole EMA</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/console.py" line="255"/>
        <source>Local data cannot be opened</source>
        <translation>Místní data nelze otevřít</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/console.py" line="256"/>
        <source>The local data on this computer cannot be opened: its key is missing from the keyring or does not match.</source>
        <translation>Místní data v tomto počítači nelze otevřít: jejich klíč v úložišti hesel chybí nebo neodpovídá.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/console.py" line="258"/>
        <source>Start with fresh local data</source>
        <translation>Začít s novými místními daty</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/console.py" line="259"/>
        <source>Work online only</source>
        <translation>Pracovat jen online</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/console.py" line="260"/>
        <source>Starting afresh downloads your data again. The old file is kept aside, not deleted, because it may hold changes that never reached the server.</source>
        <translation>Při novém začátku se data stáhnou znovu. Starý soubor se nesmaže, jen se odloží stranou, protože může obsahovat změny, které se na server nikdy nedostaly.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/console.py" line="284"/>
        <source>Keeping it lets you work offline after your next sign-in. It stays encrypted with a key in your keyring.</source>
        <translation>Když je ponecháte, můžete po příštím přihlášení pracovat offline. Zůstanou zašifrovaná klíčem z vašeho úložiště hesel.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/console.py" line="286"/>
        <source>Delete local data</source>
        <translation>Smazat místní data</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ema_desktop/console.py" line="288"/>
        <source>%n change(s) made here have not reached the server yet; deleting the local data discards them.</source>
        <translation>
            <numerusform>%n změna provedená v tomto počítači se ještě nedostala na server; smazáním místních dat o ni přijdete.</numerusform>
            <numerusform>%n změny provedené v tomto počítači se ještě nedostaly na server; smazáním místních dat o ně přijdete.</numerusform>
            <numerusform>%n změn provedených v tomto počítači se ještě nedostalo na server; smazáním místních dat o ně přijdete.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ema_desktop/console.py" line="290"/>
        <source>Delete, discarding %n change(s)</source>
        <translation>
            <numerusform>Smazat a zahodit %n změnu</numerusform>
            <numerusform>Smazat a zahodit %n změny</numerusform>
            <numerusform>Smazat a zahodit %n změn</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ema_desktop/console.py" line="291"/>
        <source>Sign out</source>
        <translation>Odhlášení</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/console.py" line="292"/>
        <source>Keep the local data on this computer?</source>
        <translation>Ponechat místní data v tomto počítači?</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/console.py" line="293"/>
        <source>Keep local data</source>
        <translation>Ponechat místní data</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/console.py" line="307"/>
        <source>Session ended by the server</source>
        <translation>Server ukončil relaci</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ema_desktop/console.py" line="308"/>
        <source>Your session was ended on the server, so the local data on this computer will be deleted. %n change(s) made here have not reached the server yet.</source>
        <translation>
            <numerusform>Vaše relace byla na serveru ukončena, proto se místní data v tomto počítači smažou. %n změna provedená v tomto počítači se ještě nedostala na server.</numerusform>
            <numerusform>Vaše relace byla na serveru ukončena, proto se místní data v tomto počítači smažou. %n změny provedené v tomto počítači se ještě nedostaly na server.</numerusform>
            <numerusform>Vaše relace byla na serveru ukončena, proto se místní data v tomto počítači smažou. %n změn provedených v tomto počítači se ještě nedostalo na server.</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ema_desktop/console.py" line="310"/>
        <source>Export them to a file, then delete</source>
        <translation>Exportovat je do souboru a pak smazat</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/console.py" line="311"/>
        <source>Keep them to send after I sign in again</source>
        <translation>Ponechat je k odeslání po příštím přihlášení</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/console.py" line="312"/>
        <source>An exported file is not encrypted: store it safely and hand it to someone who can enter the changes.</source>
        <translation>Exportovaný soubor není zašifrovaný: uložte ho na bezpečné místo a předejte někomu, kdo změny může zadat.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/console.py" line="321"/>
        <source>Export unsent changes</source>
        <translation>Export neodeslaných změn</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/console.py" line="322"/>
        <source>JSON files (*.json)</source>
        <translation>Soubory JSON (*.json)</translation>
    </message>
</context>
<context>
    <name>ContactCheck</name>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="819"/>
        <source>Contains characters that cannot be saved (control characters).</source>
        <translation>Obsahuje znaky, které nelze uložit (řídicí znaky).</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="824"/>
        <source>Enter the contact person&apos;s name.</source>
        <translation>Zadejte jméno kontaktní osoby.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="826"/>
        <source>Too long: at most 200 characters.</source>
        <translation>Příliš dlouhé: nejvýše 200 znaků.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="831"/>
        <source>Choose one of the roles in the list.</source>
        <translation>Vyberte jednu z rolí v seznamu.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="836"/>
        <source>Not an e-mail address: check it for typos.</source>
        <translation>Toto není e-mailová adresa: zkontrolujte, zda v ní není překlep.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="842"/>
        <source>Only digits, spaces and + - ( ) / belong in a phone number.</source>
        <translation>Telefonní číslo smí obsahovat jen číslice, mezery a znaky + - ( ) /.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="845"/>
        <source>Not a phone number: 9 digits (601 234 567), or + and the country code.</source>
        <translation>Toto není telefonní číslo: 9 číslic (601 234 567), nebo + a předvolba země.</translation>
    </message>
</context>
<context>
    <name>ContactDialog</name>
    <message>
        <location filename="../../ema_desktop/views/contact_dialog.py" line="55"/>
        <source>Edit contact person — EMA Console</source>
        <translation>Úprava kontaktní osoby — Konzole EMA</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/contact_dialog.py" line="64"/>
        <source>Edit contact person</source>
        <translation>Úprava kontaktní osoby</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/contact_dialog.py" line="70"/>
        <source>{contact}, contact person of {customer} · {number}</source>
        <translation>{contact}, kontaktní osoba zákazníka {customer} · {number}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/contact_dialog.py" line="91"/>
        <source>name@example.cz (empty: none)</source>
        <translation>jmeno@example.cz (prázdné: žádný)</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/contact_dialog.py" line="94"/>
        <source>601 234 567, or +421 … for another country (empty: none)</source>
        <translation>601 234 567, nebo +421 … pro jinou zemi (prázdné: žádný)</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/contact_dialog.py" line="97"/>
        <source>Name</source>
        <translation>Jméno</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/contact_dialog.py" line="97"/>
        <source>Role</source>
        <translation>Role</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/contact_dialog.py" line="97"/>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/contact_dialog.py" line="98"/>
        <source>Phone</source>
        <translation>Telefon</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/contact_dialog.py" line="119"/>
        <source>The change is kept on this computer and sent to the server as soon as it can be reached.</source>
        <translation>Změna se uloží v tomto počítači a odešle se na server, jakmile bude dostupný.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/contact_dialog.py" line="208"/>
        <source>Not saved: {message}</source>
        <translation>Neuloženo: {message}</translation>
    </message>
</context>
<context>
    <name>ContactField</name>
    <message>
        <location filename="../../ema_desktop/views/conflict_dialog.py" line="39"/>
        <source>Name</source>
        <translation>Jméno</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/conflict_dialog.py" line="40"/>
        <source>Role</source>
        <translation>Role</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/conflict_dialog.py" line="41"/>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/conflict_dialog.py" line="42"/>
        <source>Phone</source>
        <translation>Telefon</translation>
    </message>
</context>
<context>
    <name>ContactRole</name>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="93"/>
        <source>General</source>
        <translation>Obecný</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="94"/>
        <source>Billing</source>
        <translation>Fakturační</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="95"/>
        <source>Technical</source>
        <translation>Technický</translation>
    </message>
</context>
<context>
    <name>ContactsModel</name>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="422"/>
        <source>Name</source>
        <translation>Jméno</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="422"/>
        <source>Role</source>
        <translation>Role</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="422"/>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="422"/>
        <source>Phone</source>
        <translation>Telefon</translation>
    </message>
</context>
<context>
    <name>CustomerDetailModel</name>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="703"/>
        <source>The contact cannot be changed before the first sync has finished. Try again in a moment.</source>
        <translation>Kontakt nelze změnit, dokud neskončí první synchronizace. Zkuste to za chvíli znovu.</translation>
    </message>
</context>
<context>
    <name>CustomerDevicesModel</name>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="457"/>
        <source>Status</source>
        <translation>Stav</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="457"/>
        <source>Kind</source>
        <translation>Druh</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="457"/>
        <source>Model</source>
        <translation>Model</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="457"/>
        <source>OCPP identity</source>
        <translation>OCPP ID</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="458"/>
        <source>Serial</source>
        <translation>Sériové číslo</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="458"/>
        <source>Site</source>
        <translation>Lokalita</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="498"/>
        <source>Serial: {serial}</source>
        <translation>Sériové číslo: {serial}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="500"/>
        <source>OCPP identity: {identity}</source>
        <translation>OCPP ID: {identity}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="502"/>
        <source>Firmware: {firmware}</source>
        <translation>Firmware: {firmware}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="504"/>
        <source>Connector {no}: {standard}, {power:g} kW</source>
        <translation>Konektor {no}: {standard}, {power:g} kW</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="507"/>
        <source>Last seen {time}</source>
        <translation>Naposledy aktivní {time}</translation>
    </message>
</context>
<context>
    <name>CustomerKind</name>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="79"/>
        <source>Consumer</source>
        <translation>Spotřebitel</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="80"/>
        <source>Business</source>
        <translation>Podnikatel</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="81"/>
        <source>Municipality</source>
        <translation>Obec</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="82"/>
        <source>Institution</source>
        <translation>Instituce</translation>
    </message>
</context>
<context>
    <name>CustomerSearchModel</name>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="187"/>
        <source>Customer no.</source>
        <translation>Č. zákazníka</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="187"/>
        <source>Name</source>
        <translation>Jméno</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="187"/>
        <source>Kind</source>
        <translation>Druh</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="187"/>
        <source>Region</source>
        <translation>Kraj</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="188"/>
        <source>Phone</source>
        <translation>Telefon</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="188"/>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="188"/>
        <source>Status</source>
        <translation>Stav</translation>
    </message>
</context>
<context>
    <name>CustomerStatus</name>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="85"/>
        <source>Active</source>
        <translation>Aktivní</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="86"/>
        <source>Restricted</source>
        <translation>Omezený</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="87"/>
        <source>Blocked</source>
        <translation>Blokovaný</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="88"/>
        <source>Closed</source>
        <translation>Uzavřený</translation>
    </message>
</context>
<context>
    <name>CustomerTicketsModel</name>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="519"/>
        <source>Number</source>
        <translation>Číslo</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="519"/>
        <source>Title</source>
        <translation>Název</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="519"/>
        <source>State</source>
        <translation>Stav</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="519"/>
        <source>Priority</source>
        <translation>Priorita</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="520"/>
        <source>Due</source>
        <translation>Termín</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="559"/>
        <source>Overdue</source>
        <translation>Po splatnosti</translation>
    </message>
</context>
<context>
    <name>CustomersPane</name>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="465"/>
        <source>Name, phone, e-mail, customer no., IČO, serial or OCPP id</source>
        <translation>Jméno, telefon, e-mail, č. zákazníka, IČO, sériové číslo nebo OCPP ID</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="490"/>
        <location filename="../../ema_desktop/views/customers_pane.py" line="701"/>
        <source>Select a customer to see their contacts, devices and tickets.</source>
        <translation>Vyberte zákazníka a zobrazí se jeho kontakty, zařízení a tikety.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="632"/>
        <source>Search failed: {message}</source>
        <translation>Hledání selhalo: {message}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="638"/>
        <source>Searching…</source>
        <translation>Hledání…</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="640"/>
        <source>{total} customers, first {shown} by name</source>
        <translation>Zákazníků: {total}, prvních {shown} podle jména</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="641"/>
        <source>{total} customers</source>
        <translation>Zákazníků: {total}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="643"/>
        <source>No customer found for “{query}”</source>
        <translation>Pro „{query}“ nebyl nalezen žádný zákazník</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="645"/>
        <source>{total} found for “{query}”, showing the first {shown}</source>
        <translation>Nalezeno pro „{query}“: {total}, zobrazeno prvních {shown}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="648"/>
        <source>{total} found for “{query}”</source>
        <translation>Nalezeno pro „{query}“: {total}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="650"/>
        <source>  ·  searching…</source>
        <translation>  ·  hledání…</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="689"/>
        <location filename="../../ema_desktop/views/customers_pane.py" line="692"/>
        <source>Could not load the customer: {message}</source>
        <translation>Zákazníka se nepodařilo načíst: {message}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="698"/>
        <source>Loading the customer…</source>
        <translation>Načítání zákazníka…</translation>
    </message>
</context>
<context>
    <name>DataAccess</name>
    <message>
        <location filename="../../ema_desktop/data/access.py" line="223"/>
        <source>This customer is no longer in the records.</source>
        <translation>Tento zákazník už v evidenci není.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/data/access.py" line="249"/>
        <source>This device is no longer in the records.</source>
        <translation>Toto zařízení už v evidenci není.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/data/access.py" line="287"/>
        <location filename="../../ema_desktop/data/access.py" line="311"/>
        <source>This ticket is no longer in the records.</source>
        <translation>Tento tiket už v evidenci není.</translation>
    </message>
</context>
<context>
    <name>Dates</name>
    <message>
        <location filename="../../ema_desktop/models/labels.py" line="62"/>
        <source>Jan</source>
        <translation>led</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/labels.py" line="62"/>
        <source>Feb</source>
        <translation>úno</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/labels.py" line="62"/>
        <source>Mar</source>
        <translation>bře</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/labels.py" line="63"/>
        <source>Apr</source>
        <translation>dub</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/labels.py" line="63"/>
        <source>May</source>
        <translation>kvě</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/labels.py" line="63"/>
        <source>Jun</source>
        <translation>čvn</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/labels.py" line="64"/>
        <source>Jul</source>
        <translation>čvc</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/labels.py" line="64"/>
        <source>Aug</source>
        <translation>srp</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/labels.py" line="64"/>
        <source>Sep</source>
        <translation>zář</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/labels.py" line="65"/>
        <source>Oct</source>
        <translation>říj</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/labels.py" line="65"/>
        <source>Nov</source>
        <translation>lis</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/labels.py" line="65"/>
        <source>Dec</source>
        <translation>pro</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/labels.py" line="78"/>
        <source>{day} {month} {year}</source>
        <translation>{day}. {month} {year}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/labels.py" line="80"/>
        <source>{day} {month}</source>
        <translation>{day}. {month}</translation>
    </message>
</context>
<context>
    <name>DeviceKind</name>
    <message>
        <location filename="../../ema_desktop/models/stations.py" line="45"/>
        <source>Charging station</source>
        <translation>Nabíjecí stanice</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/stations.py" line="46"/>
        <source>Wallbox</source>
        <translation>Wallbox</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/stations.py" line="47"/>
        <source>Router</source>
        <translation>Router</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/stations.py" line="48"/>
        <source>Modem</source>
        <translation>Modem</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/stations.py" line="49"/>
        <source>SIM</source>
        <translation>SIM</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/stations.py" line="50"/>
        <source>Meter</source>
        <translation>Elektroměr</translation>
    </message>
</context>
<context>
    <name>DeviceMapLegend</name>
    <message>
        <location filename="../../ema_desktop/views/device_map.py" line="649"/>
        <source>Suspended by EV</source>
        <translation>Pozastaveno vozidlem</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/device_map.py" line="650"/>
        <source>Suspended by station</source>
        <translation>Pozastaveno stanicí</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/device_map.py" line="651"/>
        <source>Other</source>
        <translation>Ostatní</translation>
    </message>
</context>
<context>
    <name>DeviceMapView</name>
    <message>
        <location filename="../../ema_desktop/views/device_map.py" line="801"/>
        <source>Device map</source>
        <translation>Mapa zařízení</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/device_map.py" line="812"/>
        <source>Basemap: {sources}</source>
        <translation>Podkladová mapa: {sources}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/device_map.py" line="862"/>
        <source>Basemap unavailable: {error}</source>
        <translation>Podkladová mapa není k dispozici: {error}</translation>
    </message>
</context>
<context>
    <name>ErasureAction</name>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="466"/>
        <source>Delete</source>
        <translation>Smazat</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="467"/>
        <source>Anonymise</source>
        <translation>Anonymizovat</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="468"/>
        <source>Keep</source>
        <translation>Uchovat</translation>
    </message>
</context>
<context>
    <name>ErasureConfirmDialog</name>
    <message>
        <location filename="../../ema_desktop/views/erasure_dialog.py" line="52"/>
        <source>Execute erasure</source>
        <translation>Provést výmaz</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/erasure_dialog.py" line="53"/>
        <source>This erases {name} ({number}) for good: {deleted} records are deleted and {anonymised} anonymised; {kept} are kept, restricted, until their legal basis ends. It cannot be undone.</source>
        <translation>Tímto trvale vymažete zákazníka {name} ({number}). Záznamy ke smazání: {deleted}, k anonymizaci: {anonymised}, k uchování s omezeným zpracováním, dokud nepomine jejich právní základ: {kept}. Akci nelze vrátit zpět.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/erasure_dialog.py" line="57"/>
        <source>Erase</source>
        <translation>Vymazat</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/erasure_dialog.py" line="62"/>
        <source>The customer number or the full name</source>
        <translation>Číslo zákazníka nebo celé jméno</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/erasure_dialog.py" line="64"/>
        <source>Type to confirm</source>
        <translation>Potvrďte zadáním</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/erasure_dialog.py" line="72"/>
        <source>Type the customer number or the full name exactly as shown above.</source>
        <translation>Zadejte číslo zákazníka nebo celé jméno přesně tak, jak je uvedeno výše.</translation>
    </message>
</context>
<context>
    <name>ErasureReport</name>
    <message>
        <location filename="../../ema_desktop/views/erasure_dialog.py" line="84"/>
        <source>Erasure report</source>
        <translation>Protokol o výmazu</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/erasure_dialog.py" line="85"/>
        <source>Executed: {time}</source>
        <translation>Provedeno: {time}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/erasure_dialog.py" line="94"/>
        <source>Erased</source>
        <translation>Vymazáno</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/erasure_dialog.py" line="95"/>
        <source>Anonymised</source>
        <translation>Anonymizováno</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/erasure_dialog.py" line="99"/>
        <source>Kept</source>
        <translation>Uchováno</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/erasure_dialog.py" line="105"/>
        <source>until {date}</source>
        <translation>do {date}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/erasure_dialog.py" line="109"/>
        <source>Recipients notified</source>
        <translation>Informovaní příjemci</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/erasure_dialog.py" line="114"/>
        <source>Verification: the subject&apos;s identifiers no longer resolve.</source>
        <translation>Ověření: identifikátory subjektu údajů již nikoho nedohledají.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/erasure_dialog.py" line="116"/>
        <source>Verification FAILED: some identifiers still resolve.</source>
        <translation>Ověření SELHALO: některé identifikátory stále dohledají subjekt.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/erasure_dialog.py" line="117"/>
        <source>still resolves</source>
        <translation>stále dohledá</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/erasure_dialog.py" line="117"/>
        <source>gone</source>
        <translation>nedohledá</translation>
    </message>
</context>
<context>
    <name>ErasureReportDialog</name>
    <message>
        <location filename="../../ema_desktop/views/erasure_dialog.py" line="127"/>
        <source>Erasure report · {number}</source>
        <translation>Protokol o výmazu · {number}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/erasure_dialog.py" line="136"/>
        <source>Erased on {time}. The subject&apos;s identifiers no longer resolve.</source>
        <translation>Vymazáno {time}. Identifikátory subjektu údajů už nelze dohledat.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/erasure_dialog.py" line="138"/>
        <source>Erased on {time}, but the verification found identifiers that still resolve: tell IT.</source>
        <translation>Vymazáno {time}, ale kontrola našla identifikátory, které lze stále dohledat: informujte IT.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/erasure_dialog.py" line="147"/>
        <source>Report</source>
        <translation>Protokol</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/erasure_dialog.py" line="148"/>
        <source>Letter (Czech)</source>
        <translation>Dopis (česky)</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/erasure_dialog.py" line="149"/>
        <source>Letter (English)</source>
        <translation>Dopis (anglicky)</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/erasure_dialog.py" line="163"/>
        <source>Save…</source>
        <translation>Uložit…</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/erasure_dialog.py" line="165"/>
        <source>Save the text of the tab shown to a file</source>
        <translation>Uložit text zobrazené karty do souboru</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/erasure_dialog.py" line="185"/>
        <source>Saved to {path}.</source>
        <translation>Uloženo do {path}.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/erasure_dialog.py" line="194"/>
        <source>Save</source>
        <translation>Uložit</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/erasure_dialog.py" line="195"/>
        <source>Text files (*.txt)</source>
        <translation>Textové soubory (*.txt)</translation>
    </message>
</context>
<context>
    <name>ExtensionDialog</name>
    <message>
        <location filename="../../ema_desktop/views/privacy_step_dialogs.py" line="206"/>
        <source>Extend the deadline</source>
        <translation>Prodloužit lhůtu</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_step_dialogs.py" line="207"/>
        <source>The deadline may be extended by up to two months when the request is complex or there are many (Art. 12(3)). The subject must be told why within the first month, by {date}.</source>
        <translation>Lhůtu lze prodloužit nejvýše o dva měsíce, je-li žádost složitá nebo je-li žádostí velký počet (čl. 12 odst. 3). Subjekt údajů musí být o prodloužení a jeho důvodech informován do jednoho měsíce, tj. do {date}.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_step_dialogs.py" line="210"/>
        <source>Extend</source>
        <translation>Prodloužit</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_step_dialogs.py" line="214"/>
        <source>Why the request needs more time</source>
        <translation>Proč vyřízení žádosti vyžaduje více času</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_step_dialogs.py" line="220"/>
        <source> months</source>
        <translation> měs.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_step_dialogs.py" line="225"/>
        <source>Reason</source>
        <translation>Důvod</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_step_dialogs.py" line="226"/>
        <source>Extend by</source>
        <translation>Prodloužit o</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_step_dialogs.py" line="227"/>
        <source>Subject told at</source>
        <translation>Subjekt údajů informován</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_step_dialogs.py" line="244"/>
        <source>Give the reason for the extension.</source>
        <translation>Uveďte důvod prodloužení.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_step_dialogs.py" line="246"/>
        <source>The subject cannot have been told in the future.</source>
        <translation>Subjekt údajů nemohl být informován v budoucnosti.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_step_dialogs.py" line="248"/>
        <source>The subject cannot have been told before the request was received.</source>
        <translation>Subjekt údajů nemohl být informován před přijetím žádosti.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_step_dialogs.py" line="250"/>
        <source>Too late: the subject had to be told by {date}; the deadline cannot be extended.</source>
        <translation>Příliš pozdě: subjekt údajů měl být informován do {date}; lhůtu už nelze prodloužit.</translation>
    </message>
</context>
<context>
    <name>IdentityCheck</name>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="442"/>
        <source>Signed-in app account</source>
        <translation>Přihlášený účet v aplikaci</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="443"/>
        <source>Reply from the registered e-mail</source>
        <translation>Odpověď z registrovaného e-mailu</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="444"/>
        <source>RFID card and last charging session</source>
        <translation>RFID karta a poslední nabíjení</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="445"/>
        <source>Customer details confirmed on a call back</source>
        <translation>Údaje zákazníka potvrzené při zpětném volání</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="446"/>
        <source>Identity document seen in person</source>
        <translation>Průkaz totožnosti předložený osobně</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="447"/>
        <source>Guardian&apos;s authority checked</source>
        <translation>Ověřené oprávnění zákonného zástupce</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="448"/>
        <source>Representative&apos;s signed mandate</source>
        <translation>Podepsaná plná moc zmocněnce</translation>
    </message>
</context>
<context>
    <name>IdentityVerificationDialog</name>
    <message>
        <location filename="../../ema_desktop/views/privacy_step_dialogs.py" line="180"/>
        <source>Identity verified</source>
        <translation>Totožnost ověřena</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_step_dialogs.py" line="181"/>
        <source>Record how the subject&apos;s identity was checked. Do not keep copies of documents: write what was compared.</source>
        <translation>Zaznamenejte, jak byla ověřena totožnost subjektu údajů. Kopie dokladů neuchovávejte: napište, co bylo porovnáno.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_step_dialogs.py" line="182"/>
        <source>Record check</source>
        <translation>Zaznamenat ověření</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_step_dialogs.py" line="185"/>
        <source>e.g. card ending 4411 and last session on 3 Nov confirmed</source>
        <translation>např. potvrzena karta končící 4411 a poslední nabíjení 3. 11.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_step_dialogs.py" line="188"/>
        <source>Check</source>
        <translation>Způsob ověření</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_step_dialogs.py" line="189"/>
        <source>What was compared</source>
        <translation>Co bylo porovnáno</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_step_dialogs.py" line="196"/>
        <source>Say what was compared.</source>
        <translation>Uveďte, co bylo porovnáno.</translation>
    </message>
</context>
<context>
    <name>KeepBasis</name>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="471"/>
        <source>Accounting act</source>
        <translation>Zákon o účetnictví</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="472"/>
        <source>VAT act</source>
        <translation>Zákon o DPH</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="473"/>
        <source>Legal claims</source>
        <translation>Právní nároky</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="474"/>
        <source>Legal hold</source>
        <translation>Právní blokace</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="475"/>
        <source>Contract</source>
        <translation>Smlouva</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="476"/>
        <source>Accountability</source>
        <translation>Odpovědnost správce</translation>
    </message>
</context>
<context>
    <name>LegalHoldsModel</name>
    <message>
        <location filename="../../ema_desktop/models/retention.py" line="196"/>
        <source>On</source>
        <translation>Na koho</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/retention.py" line="196"/>
        <source>Reason</source>
        <translation>Důvod</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/retention.py" line="196"/>
        <source>Reference</source>
        <translation>Spisová značka</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/retention.py" line="196"/>
        <source>Placed</source>
        <translation>Uloženo</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/retention.py" line="197"/>
        <source>Lifted</source>
        <translation>Zrušeno</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/retention.py" line="197"/>
        <source>Why lifted</source>
        <translation>Důvod zrušení</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/retention.py" line="218"/>
        <source>Customer {label}</source>
        <translation>Zákazník {label}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/retention.py" line="218"/>
        <location filename="../../ema_desktop/models/retention.py" line="220"/>
        <source>(not found)</source>
        <translation>(nenalezen)</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/retention.py" line="220"/>
        <source>Ticket {label}</source>
        <translation>Požadavek {label}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/retention.py" line="242"/>
        <source>Active</source>
        <translation>Platí</translation>
    </message>
</context>
<context>
    <name>LocalWork</name>
    <message>
        <location filename="../../ema_desktop/local_work.py" line="139"/>
        <source>Change refused by the server</source>
        <translation>Server změnu odmítl</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/local_work.py" line="140"/>
        <source>The server refused this change: {summary}</source>
        <translation>Server odmítl tuto změnu: {summary}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/local_work.py" line="141"/>
        <source>Discard this change</source>
        <translation>Zahodit tuto změnu</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/local_work.py" line="141"/>
        <source>Keep it for now</source>
        <translation>Zatím ponechat</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ema_desktop/views/main_window.py" line="58"/>
        <source>EMA Console — {server}</source>
        <translation>Konzole EMA — {server}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/main_window.py" line="151"/>
        <source>&amp;Console</source>
        <translation>&amp;Konzole</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/main_window.py" line="152"/>
        <source>Find customer or station…</source>
        <translation>Najít zákazníka nebo stanici…</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/main_window.py" line="159"/>
        <source>Sync now</source>
        <translation>Synchronizovat nyní</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/main_window.py" line="163"/>
        <source>Prepare for field…</source>
        <translation>Připravit do terénu…</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/main_window.py" line="167"/>
        <source>Sign out</source>
        <translation>Odhlásit se</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/main_window.py" line="170"/>
        <source>Quit</source>
        <translation>Ukončit</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/main_window.py" line="175"/>
        <source>&amp;View</source>
        <translation>&amp;Zobrazení</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/main_window.py" line="182"/>
        <source>Reset layout</source>
        <translation>Obnovit výchozí rozložení</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/main_window.py" line="186"/>
        <source>&amp;Help</source>
        <translation>&amp;Nápověda</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/main_window.py" line="187"/>
        <source>About EMA Console</source>
        <translation>O konzoli EMA</translation>
    </message>
</context>
<context>
    <name>NoticeState</name>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="479"/>
        <source>To notify</source>
        <translation>K oznámení</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="480"/>
        <source>Notified</source>
        <translation>Oznámeno</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="481"/>
        <source>Acknowledged</source>
        <translation>Potvrzeno</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="482"/>
        <source>Exempted</source>
        <translation>Upuštěno od oznámení</translation>
    </message>
</context>
<context>
    <name>OperatorRole</name>
    <message>
        <location filename="../../ema_desktop/views/status.py" line="14"/>
        <source>Hotline</source>
        <translation>Hotline</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/status.py" line="15"/>
        <source>Technician</source>
        <translation>Technik</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/status.py" line="16"/>
        <source>Privacy officer</source>
        <translation>Pověřenec GDPR</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/status.py" line="17"/>
        <source>Administrator</source>
        <translation>Administrátor</translation>
    </message>
</context>
<context>
    <name>Pending</name>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="102"/>
        <source>not sent yet</source>
        <translation>dosud neodesláno</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="106"/>
        <source>Not sent yet: your change is kept on this computer and sent to the server as soon as it can be reached.</source>
        <translation>Dosud neodesláno: vaše změna je uložena v tomto počítači a odešle se na server, jakmile bude dostupný.</translation>
    </message>
</context>
<context>
    <name>PlaceHoldDialog</name>
    <message>
        <location filename="../../ema_desktop/views/retention_pane.py" line="150"/>
        <source>Place legal hold</source>
        <translation>Uložit zákonné uchování</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/retention_pane.py" line="151"/>
        <source>The records of a customer or ticket under a legal hold are kept for the whole proceedings: retention runs and erasure skip them until the hold is lifted.</source>
        <translation>Záznamy zákazníka nebo požadavku pod zákonným uchováním se uchovávají po celou dobu řízení: běhy skartace i výmaz je vynechávají, dokud uchování nebude zrušeno.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/retention_pane.py" line="153"/>
        <source>Place hold</source>
        <translation>Uložit uchování</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/retention_pane.py" line="160"/>
        <source>A customer</source>
        <translation>Zákazník</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/retention_pane.py" line="163"/>
        <source>A ticket</source>
        <translation>Požadavek</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/retention_pane.py" line="192"/>
        <source>The proceedings: a lawsuit, a dispute, an authority&apos;s investigation</source>
        <translation>Řízení: žaloba, spor, šetření úřadu</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/retention_pane.py" line="197"/>
        <source>Optional: case number, authority, court</source>
        <translation>Nepovinné: spisová značka, úřad, soud</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/retention_pane.py" line="198"/>
        <source>Hold on</source>
        <translation>Uchovat</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/retention_pane.py" line="199"/>
        <source>Reason</source>
        <translation>Důvod</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/retention_pane.py" line="200"/>
        <source>Reference</source>
        <translation>Spisová značka</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/retention_pane.py" line="220"/>
        <source>Find and choose the customer the hold is on.</source>
        <translation>Vyhledejte a vyberte zákazníka, jehož se uchování týká.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/retention_pane.py" line="221"/>
        <source>Find and choose the ticket the hold is on.</source>
        <translation>Vyhledejte a vyberte požadavek, jehož se uchování týká.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/retention_pane.py" line="224"/>
        <source>Give the reason for the hold: the proceedings it is for.</source>
        <translation>Uveďte důvod uchování: řízení, kvůli kterému se ukládá.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/retention_pane.py" line="226"/>
        <source>The reason may have at most {n} characters.</source>
        <translation>Důvod smí mít nejvýše {n} znaků.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/retention_pane.py" line="248"/>
        <source>Customer&apos;s name, number, e-mail or phone</source>
        <translation>Jméno, číslo, e-mail nebo telefon zákazníka</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/retention_pane.py" line="250"/>
        <source>Ticket number or words of its title</source>
        <translation>Číslo požadavku nebo slova z jeho názvu</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/retention_pane.py" line="259"/>
        <source>Searching…</source>
        <translation>Hledám…</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/retention_pane.py" line="272"/>
        <source>Could not search: {message}</source>
        <translation>Hledání se nezdařilo: {message}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/retention_pane.py" line="278"/>
        <source>Nothing matches.</source>
        <translation>Nic neodpovídá.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/retention_pane.py" line="280"/>
        <source>{n} found: choose one.</source>
        <translation>Nalezeno {n}: vyberte jeden.</translation>
    </message>
</context>
<context>
    <name>PolicyDialog</name>
    <message>
        <location filename="../../ema_desktop/views/retention_pane.py" line="311"/>
        <source>Change retention period</source>
        <translation>Změnit dobu uchování</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/retention_pane.py" line="311"/>
        <source>Save</source>
        <translation>Uložit</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/retention_pane.py" line="318"/>
        <source> days</source>
        <translation> dní</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/retention_pane.py" line="328"/>
        <source>Category</source>
        <translation>Kategorie</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/retention_pane.py" line="329"/>
        <source>Kept for</source>
        <translation>Uchovávat</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/retention_pane.py" line="330"/>
        <source>Then</source>
        <translation>Potom</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/retention_pane.py" line="341"/>
        <source>Change the period or the action to save.</source>
        <translation>Pro uložení změňte dobu nebo naložení.</translation>
    </message>
</context>
<context>
    <name>PrepareForFieldDialog</name>
    <message>
        <location filename="../../ema_desktop/views/field_dialog.py" line="77"/>
        <source>Prepare for field — EMA Console</source>
        <translation>Příprava do terénu — Konzole EMA</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/field_dialog.py" line="86"/>
        <source>Prepare for field</source>
        <translation>Příprava do terénu</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/field_dialog.py" line="90"/>
        <source>Choose what to take offline. It stays on this computer whatever its age, with 7 days of telemetry of every charging station and the attachments of the open tickets.</source>
        <translation>Vyberte, co si vzít s sebou offline. Zůstane v tomto počítači bez ohledu na stáří, spolu se 7 dny telemetrie každé nabíjecí stanice a s přílohami otevřených tiketů.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/field_dialog.py" line="100"/>
        <source>Regions</source>
        <translation>Kraje</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/field_dialog.py" line="113"/>
        <source>My assigned tickets</source>
        <translation>Moje přidělené tikety</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/field_dialog.py" line="114"/>
        <source>Your open tickets, with their customers and stations</source>
        <translation>Vaše otevřené tikety i s jejich zákazníky a stanicemi</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/field_dialog.py" line="119"/>
        <source>Customers</source>
        <translation>Zákazníci</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/field_dialog.py" line="122"/>
        <source>Find by name, customer number, phone, e-mail…</source>
        <translation>Hledat podle jména, čísla zákazníka, telefonu, e-mailu…</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/field_dialog.py" line="134"/>
        <location filename="../../ema_desktop/views/field_dialog.py" line="275"/>
        <source>Type to find a customer, then add them.</source>
        <translation>Napište, koho hledáte, a zákazníka přidejte.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/field_dialog.py" line="136"/>
        <source>Add</source>
        <translation>Přidat</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/field_dialog.py" line="143"/>
        <source>Chosen customers</source>
        <translation>Vybraní zákazníci</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/field_dialog.py" line="152"/>
        <source>Remove</source>
        <translation>Odebrat</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/field_dialog.py" line="190"/>
        <source>Prepare</source>
        <translation>Připravit</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/field_dialog.py" line="193"/>
        <location filename="../../ema_desktop/views/field_dialog.py" line="527"/>
        <source>Cancel</source>
        <translation>Zrušit</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/field_dialog.py" line="277"/>
        <source>Searching…</source>
        <translation>Hledání…</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/field_dialog.py" line="298"/>
        <source>Double-click or press Add to choose.</source>
        <translation>Vyberte dvojklikem nebo tlačítkem Přidat.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/field_dialog.py" line="300"/>
        <source>No customer matches.</source>
        <translation>Žádný zákazník neodpovídá.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/field_dialog.py" line="350"/>
        <source>Could not count the selection: {error}</source>
        <translation>Výběr se nepodařilo spočítat: {error}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/field_dialog.py" line="352"/>
        <source>Choose regions, your assigned tickets or customers to see what will be kept offline.</source>
        <translation>Vyberte kraje, své přidělené tikety nebo zákazníky a uvidíte, co bude k dispozici offline.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/field_dialog.py" line="354"/>
        <source>Counting what this selection keeps offline…</source>
        <translation>Zjišťování, co tento výběr uchová offline…</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/field_dialog.py" line="363"/>
        <source>Nothing to keep: no customer, station or open ticket matches this selection.</source>
        <translation>Není co uchovat: výběru neodpovídá žádný zákazník, stanice ani otevřený tiket.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/field_dialog.py" line="369"/>
        <source>Will be kept offline: {parts}.</source>
        <translation>Offline bude k dispozici: {parts}.</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ema_desktop/views/field_dialog.py" line="375"/>
        <source>%Ln customer</source>
        <translation>
            <numerusform>%Ln zákazník</numerusform>
            <numerusform>%Ln zákazníci</numerusform>
            <numerusform>%Ln zákazníků</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ema_desktop/views/field_dialog.py" line="375"/>
        <source>%Ln customers</source>
        <translation>
            <numerusform>%Ln zákazník</numerusform>
            <numerusform>%Ln zákazníci</numerusform>
            <numerusform>%Ln zákazníků</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ema_desktop/views/field_dialog.py" line="377"/>
        <source>%Ln charging station</source>
        <translation>
            <numerusform>%Ln nabíjecí stanice</numerusform>
            <numerusform>%Ln nabíjecí stanice</numerusform>
            <numerusform>%Ln nabíjecích stanic</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ema_desktop/views/field_dialog.py" line="377"/>
        <source>%Ln charging stations</source>
        <translation>
            <numerusform>%Ln nabíjecí stanice</numerusform>
            <numerusform>%Ln nabíjecí stanice</numerusform>
            <numerusform>%Ln nabíjecích stanic</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ema_desktop/views/field_dialog.py" line="379"/>
        <source>%Ln other device</source>
        <translation>
            <numerusform>%Ln další zařízení</numerusform>
            <numerusform>%Ln další zařízení</numerusform>
            <numerusform>%Ln dalších zařízení</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ema_desktop/views/field_dialog.py" line="379"/>
        <source>%Ln other devices</source>
        <translation>
            <numerusform>%Ln další zařízení</numerusform>
            <numerusform>%Ln další zařízení</numerusform>
            <numerusform>%Ln dalších zařízení</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ema_desktop/views/field_dialog.py" line="381"/>
        <source>%Ln open ticket</source>
        <translation>
            <numerusform>%Ln otevřený tiket</numerusform>
            <numerusform>%Ln otevřené tikety</numerusform>
            <numerusform>%Ln otevřených tiketů</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ema_desktop/views/field_dialog.py" line="381"/>
        <source>%Ln open tickets</source>
        <translation>
            <numerusform>%Ln otevřený tiket</numerusform>
            <numerusform>%Ln otevřené tikety</numerusform>
            <numerusform>%Ln otevřených tiketů</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ema_desktop/views/field_dialog.py" line="383"/>
        <source>%Ln attachment</source>
        <translation>
            <numerusform>%Ln příloha</numerusform>
            <numerusform>%Ln přílohy</numerusform>
            <numerusform>%Ln příloh</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ema_desktop/views/field_dialog.py" line="383"/>
        <source>%Ln attachments</source>
        <translation>
            <numerusform>%Ln příloha</numerusform>
            <numerusform>%Ln přílohy</numerusform>
            <numerusform>%Ln příloh</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ema_desktop/views/field_dialog.py" line="385"/>
        <source>%Ln point</source>
        <translation>
            <numerusform>%Ln naměřená hodnota</numerusform>
            <numerusform>%Ln naměřené hodnoty</numerusform>
            <numerusform>%Ln naměřených hodnot</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ema_desktop/views/field_dialog.py" line="385"/>
        <source>%Ln points</source>
        <translation>
            <numerusform>%Ln naměřená hodnota</numerusform>
            <numerusform>%Ln naměřené hodnoty</numerusform>
            <numerusform>%Ln naměřených hodnot</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ema_desktop/views/field_dialog.py" line="387"/>
        <source>%Ln item</source>
        <translation>
            <numerusform>%Ln položka</numerusform>
            <numerusform>%Ln položky</numerusform>
            <numerusform>%Ln položek</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ema_desktop/views/field_dialog.py" line="387"/>
        <source>%Ln items</source>
        <translation>
            <numerusform>%Ln položka</numerusform>
            <numerusform>%Ln položky</numerusform>
            <numerusform>%Ln položek</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ema_desktop/views/field_dialog.py" line="389"/>
        <source>telemetry of %Ln station</source>
        <translation>
            <numerusform>telemetrie %Ln stanice</numerusform>
            <numerusform>telemetrie %Ln stanic</numerusform>
            <numerusform>telemetrie %Ln stanic</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ema_desktop/views/field_dialog.py" line="390"/>
        <source>telemetry of %Ln stations</source>
        <translation>
            <numerusform>telemetrie %Ln stanice</numerusform>
            <numerusform>telemetrie %Ln stanic</numerusform>
            <numerusform>telemetrie %Ln stanic</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/field_dialog.py" line="403"/>
        <source>Pinning the selection…</source>
        <translation>Ukládání výběru pro práci offline…</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/field_dialog.py" line="409"/>
        <source>Stopping… what was downloaded so far stays.</source>
        <translation>Zastavování… co už je staženo, zůstane.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/field_dialog.py" line="421"/>
        <source>Selection pinned; checking what is missing…</source>
        <translation>Výběr uložen; zjišťuje se, co chybí…</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/field_dialog.py" line="425"/>
        <source>%v of %m</source>
        <translation>%v z %m</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/field_dialog.py" line="429"/>
        <source>telemetry of {station}</source>
        <translation>telemetrie stanice {station}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/field_dialog.py" line="431"/>
        <source>attachment {name}</source>
        <translation>příloha {name}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/field_dialog.py" line="434"/>
        <source>Downloading… last: {what}</source>
        <translation>Stahování… naposledy: {what}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/field_dialog.py" line="435"/>
        <source>Downloading…</source>
        <translation>Stahování…</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/field_dialog.py" line="452"/>
        <source>Stopped. What was downloaded stays on this computer; prepare again to fetch the rest.</source>
        <translation>Zastaveno. Co bylo staženo, zůstane v tomto počítači; zbytek stáhnete další přípravou.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/field_dialog.py" line="461"/>
        <source>Preparing failed: {message}</source>
        <translation>Příprava selhala: {message}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/field_dialog.py" line="470"/>
        <source>{stations} ({days} days of telemetry for {with_data} of them, {points})</source>
        <translation>{stations} (telemetrie za {days} dní u {with_data} z nich, {points})</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/field_dialog.py" line="474"/>
        <source>{stations} (no telemetry in the last {days} days)</source>
        <translation>{stations} (za posledních {days} dní bez telemetrie)</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/field_dialog.py" line="478"/>
        <location filename="../../ema_desktop/views/field_dialog.py" line="489"/>
        <source>{files} ({size})</source>
        <translation>{files} ({size})</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/field_dialog.py" line="479"/>
        <source>Ready for the field: {customers}, {stations}, {tickets}, {files}.</source>
        <translation>Připraveno do terénu: {customers}, {stations}, {tickets}, {files}.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/field_dialog.py" line="492"/>
        <source>Downloaded now: {what}, in {seconds} s.</source>
        <translation>Nyní staženo: {what}, za {seconds} s.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/field_dialog.py" line="493"/>
        <source> and </source>
        <translation> a </translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/field_dialog.py" line="495"/>
        <source>Nothing new to download: all of it was already on this computer.</source>
        <translation>Nebylo co stahovat: vše už v tomto počítači bylo.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/field_dialog.py" line="499"/>
        <source>{items} could not be fetched; prepare again to retry:</source>
        <translation>Nepodařilo se stáhnout: {items}; zkuste přípravu znovu:</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/field_dialog.py" line="503"/>
        <source>• …and {count} more.</source>
        <translation>• …a dalších {count}.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/field_dialog.py" line="508"/>
        <source>Telemetry of {station}</source>
        <translation>Telemetrie stanice {station}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/field_dialog.py" line="510"/>
        <source>Attachment {name}</source>
        <translation>Příloha {name}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/field_dialog.py" line="513"/>
        <source>{items} not tried</source>
        <translation>Nezkoušeno: {items}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/field_dialog.py" line="527"/>
        <source>Close</source>
        <translation>Zavřít</translation>
    </message>
</context>
<context>
    <name>PrivacyAction</name>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="524"/>
        <source>Received</source>
        <translation>Přijata</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="525"/>
        <source>Identity</source>
        <translation>Totožnost</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="526"/>
        <source>In progress</source>
        <translation>Vyřizuje se</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="527"/>
        <source>Extended</source>
        <translation>Prodloužena</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="528"/>
        <source>Refused</source>
        <translation>Zamítnutá</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="529"/>
        <source>Completed</source>
        <translation>Vyřízená</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="562"/>
        <source>OVERDUE since {date}: answer the subject now.</source>
        <translation>PO LHŮTĚ od {date}: odpovězte subjektu údajů ihned.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="565"/>
        <source>Due {date}, in {days} days.</source>
        <translation>Lhůta {date}, zbývá dní: {days}.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="568"/>
        <source>An extension must be notified to the subject by {date}.</source>
        <translation>Prodloužení lhůty je třeba oznámit subjektu údajů do {date}.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="579"/>
        <source>Needs the server: the console is offline.</source>
        <translation>Vyžaduje server: konzole je offline.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="581"/>
        <source>Verify the subject&apos;s identity first.</source>
        <translation>Nejprve ověřte totožnost subjektu údajů.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="584"/>
        <source>Ask for proof of identity…</source>
        <translation>Vyžádat ověření totožnosti…</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="585"/>
        <source>Identity verified…</source>
        <translation>Totožnost ověřena…</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="589"/>
        <source>Too late to extend: the subject had to be told by {date} (within the first month).</source>
        <translation>Na prodloužení je pozdě: subjekt údajů musel být informován do {date} (v první měsíční lhůtě).</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="593"/>
        <source>Extend…</source>
        <translation>Prodloužit lhůtu…</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="595"/>
        <source>The request names no customer.</source>
        <translation>Žádost neuvádí žádného zákazníka.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="597"/>
        <source>Build package</source>
        <translation>Sestavit balíček údajů</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="602"/>
        <source>The erasure plan is not loaded.</source>
        <translation>Plán výmazu není načten.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="605"/>
        <source>Execute erasure…</source>
        <translation>Provést výmaz…</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="608"/>
        <source>Erasure report…</source>
        <translation>Protokol o výmazu…</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="612"/>
        <source>Place restriction…</source>
        <translation>Omezit zpracování…</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="615"/>
        <source>Record notice to the subject…</source>
        <translation>Zaznamenat upozornění subjektu údajů…</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="616"/>
        <source>The notice is recorded already.</source>
        <translation>Upozornění je již zaznamenáno.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="618"/>
        <source>Lift restriction…</source>
        <translation>Zrušit omezení…</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="620"/>
        <source>Record that the subject was told first (Art. 18(3)).</source>
        <translation>Nejprve zaznamenejte, že byl subjekt údajů upozorněn (čl. 18 odst. 3).</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="623"/>
        <source>Correct the data…</source>
        <translation>Opravit údaje…</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="625"/>
        <source>Open customer</source>
        <translation>Otevřít zákazníka</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="627"/>
        <source>Notify recipients</source>
        <translation>Informovat příjemce</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="629"/>
        <source>Complete…</source>
        <translation>Vyřídit…</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="630"/>
        <source>Refuse…</source>
        <translation>Zamítnout…</translation>
    </message>
</context>
<context>
    <name>PrivacyChannel</name>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="429"/>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="430"/>
        <source>Letter</source>
        <translation>Dopis</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="431"/>
        <source>Phone</source>
        <translation>Telefon</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="432"/>
        <source>In the app</source>
        <translation>V aplikaci</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="433"/>
        <source>In person</source>
        <translation>Osobně</translation>
    </message>
</context>
<context>
    <name>PrivacyEntry</name>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="414"/>
        <source>registered</source>
        <translation>zaevidováno</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="415"/>
        <source>change</source>
        <translation>změna</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="416"/>
        <source>note</source>
        <translation>poznámka</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="417"/>
        <source>step</source>
        <translation>krok</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="418"/>
        <source>rectification</source>
        <translation>oprava</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="419"/>
        <source>erasure</source>
        <translation>výmaz</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="420"/>
        <source>package</source>
        <translation>balíček údajů</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="423"/>
        <source>State</source>
        <translation>Stav</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="424"/>
        <source>Handler changed</source>
        <translation>Změna řešitele</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="425"/>
        <source>Linked ticket changed</source>
        <translation>Změna propojeného tiketu</translation>
    </message>
</context>
<context>
    <name>PrivacyIntakeDialog</name>
    <message>
        <location filename="../../ema_desktop/views/privacy_intake_dialog.py" line="70"/>
        <source>New privacy request</source>
        <translation>Nová žádost GDPR</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_intake_dialog.py" line="71"/>
        <source>Record the request as it arrived. The statutory deadline (one month) runs from the time it was received.</source>
        <translation>Zaznamenejte žádost tak, jak byla doručena. Zákonná lhůta (jeden měsíc) běží od okamžiku jejího přijetí.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_intake_dialog.py" line="72"/>
        <source>Register</source>
        <translation>Zaevidovat</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_intake_dialog.py" line="88"/>
        <source>The request as received, or a faithful summary of the call</source>
        <translation>Žádost v doručeném znění, nebo věrné shrnutí hovoru</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_intake_dialog.py" line="94"/>
        <source>Who asks for the subject</source>
        <translation>Kdo žádá za subjekt údajů</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_intake_dialog.py" line="99"/>
        <source>Name, e-mail, phone, customer number, RFID card, station…</source>
        <translation>Jméno, e-mail, telefon, číslo zákazníka, RFID karta, stanice…</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_intake_dialog.py" line="120"/>
        <source>The data subject&apos;s name</source>
        <translation>Jméno subjektu údajů</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_intake_dialog.py" line="123"/>
        <location filename="../../ema_desktop/views/privacy_intake_dialog.py" line="292"/>
        <source>The customer as a whole</source>
        <translation>Zákazník jako celek</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_intake_dialog.py" line="142"/>
        <source>Right</source>
        <translation>Právo</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_intake_dialog.py" line="143"/>
        <source>Channel</source>
        <translation>Kanál</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_intake_dialog.py" line="144"/>
        <source>Received at</source>
        <translation>Přijato</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_intake_dialog.py" line="145"/>
        <source>Original text</source>
        <translation>Původní znění</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_intake_dialog.py" line="146"/>
        <source>Requester</source>
        <translation>Žadatel</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_intake_dialog.py" line="147"/>
        <source>Requester name</source>
        <translation>Jméno žadatele</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_intake_dialog.py" line="148"/>
        <source>Find the subject</source>
        <translation>Vyhledat subjekt údajů</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_intake_dialog.py" line="149"/>
        <source>Subject</source>
        <translation>Subjekt údajů</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_intake_dialog.py" line="150"/>
        <source>App user</source>
        <translation>Uživatel aplikace</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_intake_dialog.py" line="151"/>
        <source>Purposes</source>
        <translation>Účely</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_intake_dialog.py" line="152"/>
        <source>Ticket</source>
        <translation>Tiket</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_intake_dialog.py" line="211"/>
        <source>Enter the request&apos;s original text.</source>
        <translation>Zadejte původní znění žádosti.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_intake_dialog.py" line="213"/>
        <source>Name the requester: someone asks for the subject.</source>
        <translation>Uveďte jméno žadatele: za subjekt údajů žádá někdo jiný.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_intake_dialog.py" line="215"/>
        <source>Find the subject, or type their name when they are not a customer.</source>
        <translation>Vyhledejte subjekt údajů, nebo zadejte jeho jméno, pokud není zákazníkem.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_intake_dialog.py" line="217"/>
        <source>The request cannot have been received in the future.</source>
        <translation>Žádost nemohla být přijata v budoucnosti.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_intake_dialog.py" line="219"/>
        <source>Choose the purposes whose consent is withdrawn.</source>
        <translation>Vyberte účely, k nimž se souhlas odvolává.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_intake_dialog.py" line="240"/>
        <source>Searching…</source>
        <translation>Hledání…</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_intake_dialog.py" line="261"/>
        <source>No customer matches. Type the subject&apos;s name below.</source>
        <translation>Žádný zákazník neodpovídá. Jméno subjektu údajů zadejte níže.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_intake_dialog.py" line="262"/>
        <source>{n} found: choose the subject.</source>
        <translation>Nalezeno: {n}; vyberte subjekt údajů.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_intake_dialog.py" line="270"/>
        <source>restricted</source>
        <translation>omezené zpracování</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_intake_dialog.py" line="272"/>
        <source>erased</source>
        <translation>vymazáno</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_intake_dialog.py" line="279"/>
        <source>matched by {what}</source>
        <translation>shoda: {what}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_intake_dialog.py" line="307"/>
        <source>Linked to ticket {number}: it gets a history entry and stays linked.</source>
        <translation>Propojeno s tiketem {number}: do jeho historie se zapíše záznam a obojí zůstane propojené.</translation>
    </message>
</context>
<context>
    <name>PrivacyPane</name>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="106"/>
        <source>No history yet.</source>
        <translation>Zatím bez historie.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="384"/>
        <source>Open only</source>
        <translation>Jen otevřené</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="386"/>
        <source>Hide completed and refused requests</source>
        <translation>Skrýt vyřízené a zamítnuté žádosti</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="394"/>
        <source>New request…</source>
        <translation>Nová žádost…</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="437"/>
        <source>Select a request to see its details.</source>
        <translation>Vyberte žádost a zobrazí se její podrobnosti.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="542"/>
        <source>Loading…</source>
        <translation>Načítání…</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="546"/>
        <source>Could not load the requests: {message}</source>
        <translation>Žádosti se nepodařilo načíst: {message}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="619"/>
        <source>Note added.</source>
        <translation>Poznámka přidána.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="623"/>
        <source>The note was not added: {message}</source>
        <translation>Poznámka nebyla přidána: {message}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="629"/>
        <source>Privacy requests</source>
        <translation>Žádosti GDPR</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="634"/>
        <source>{total} requests · {open} open</source>
        <translation>Žádostí: {total} · otevřených: {open}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="637"/>
        <source>{n} overdue</source>
        <translation>Po lhůtě: {n}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="640"/>
        <source>{n} due within {days} days</source>
        <translation>Lhůta do {days} dnů: {n}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="684"/>
        <source>{number} registered.</source>
        <translation>Žádost {number} zaevidována.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="707"/>
        <source>Ask for proof of identity</source>
        <translation>Vyžádat prokázání totožnosti</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="708"/>
        <source>Ask only for what is needed to be sure who asks (never a copy of an identity card). The deadline keeps running.</source>
        <translation>Vyžadujte jen to, co je nutné k jistotě, kdo žádá (nikdy kopii občanského průkazu). Lhůta dál běží.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="709"/>
        <source>How</source>
        <translation>Způsob</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="710"/>
        <source>e.g. reply from the registered e-mail address, or card number and date of the last session</source>
        <translation>např. odpověď z registrované e-mailové adresy, nebo číslo karty a datum posledního nabíjení</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="711"/>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="744"/>
        <source>Record</source>
        <translation>Zaznamenat</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="712"/>
        <source>Proof of identity asked for.</source>
        <translation>Prokázání totožnosti vyžádáno.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="715"/>
        <source>Identity verified.</source>
        <translation>Totožnost ověřena.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="719"/>
        <source>Deadline extended.</source>
        <translation>Lhůta prodloužena.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="722"/>
        <source>Request completed.</source>
        <translation>Žádost vyřízena.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="725"/>
        <source>Request refused.</source>
        <translation>Žádost zamítnuta.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="727"/>
        <source>Package built. Save it to send it to the subject.</source>
        <translation>Balíček údajů vytvořen. Uložte ho a odešlete subjektu údajů.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="734"/>
        <source>Place restriction</source>
        <translation>Omezit zpracování</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="735"/>
        <source>While restricted, the subject&apos;s data is only stored: hidden from hotline and technicians, left out of statistics and exports.</source>
        <translation>Po dobu omezení se údaje subjektu pouze uchovávají: hotline ani technici je nevidí a nezahrnují se do statistik ani exportů.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="736"/>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="748"/>
        <source>Reason</source>
        <translation>Důvod</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="737"/>
        <source>e.g. the subject contests the accuracy of the billing address</source>
        <translation>např. subjekt údajů popírá přesnost fakturační adresy</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="737"/>
        <source>Restrict</source>
        <translation>Omezit</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="739"/>
        <source>Restriction placed.</source>
        <translation>Zpracování omezeno.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="742"/>
        <source>Notice to the subject</source>
        <translation>Upozornění subjektu údajů</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="743"/>
        <source>Record that the subject was told the restriction will be lifted (Art. 18(3)).</source>
        <translation>Zaznamenejte, že subjekt údajů byl upozorněn na zrušení omezení zpracování (čl. 18 odst. 3).</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="745"/>
        <source>Notice recorded.</source>
        <translation>Upozornění zaznamenáno.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="748"/>
        <source>Lift restriction</source>
        <translation>Zrušit omezení zpracování</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="748"/>
        <source>Why the restriction ends</source>
        <translation>Proč omezení končí</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="749"/>
        <source>Lift</source>
        <translation>Zrušit omezení</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="750"/>
        <source>Restriction lifted.</source>
        <translation>Omezení zpracování zrušeno.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="758"/>
        <source>Notices opened for the recipients of the subject&apos;s data.</source>
        <translation>Založena oznámení příjemcům údajů subjektu.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="763"/>
        <source>Erasure executed.</source>
        <translation>Výmaz proveden.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="752"/>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="781"/>
        <source>Working…</source>
        <translation>Probíhá…</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="777"/>
        <source>The correction is recorded under the request.</source>
        <translation>Oprava je zaznamenána u žádosti.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="799"/>
        <source>Save package</source>
        <translation>Uložit balíček údajů</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="799"/>
        <source>ZIP archives (*.zip)</source>
        <translation>Archivy ZIP (*.zip)</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="805"/>
        <source>Downloading…</source>
        <translation>Stahování…</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="807"/>
        <source>Package saved to {path}.</source>
        <translation>Balíček údajů uložen do {path}.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="811"/>
        <source>Consent withdrawn: {purpose}.</source>
        <translation>Souhlas odvolán: {purpose}.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="820"/>
        <source>Exempt from notice</source>
        <translation>Upustit od oznámení</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="821"/>
        <source>Notifying a recipient may be left out only when it is impossible or involves a disproportionate effort (Art. 19). Say why.</source>
        <translation>Od oznámení příjemci lze upustit jen tehdy, je-li nemožné nebo vyžaduje-li nepřiměřené úsilí (čl. 19). Uveďte důvod.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="822"/>
        <source>Justification</source>
        <translation>Odůvodnění</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="823"/>
        <source>Why this recipient is not notified</source>
        <translation>Proč se tomuto příjemci neoznamuje</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="823"/>
        <source>Exempt</source>
        <translation>Upustit</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="825"/>
        <source>Recipient exempted.</source>
        <translation>Od oznámení příjemci upuštěno.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="828"/>
        <source>{recipient}: {state}.</source>
        <translation>{recipient}: {state}.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="839"/>
        <source>Could not load the request: {message}</source>
        <translation>Žádost se nepodařilo načíst: {message}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="843"/>
        <source>Needs the server: the console is offline.</source>
        <translation>Vyžaduje server: konzole je offline.</translation>
    </message>
</context>
<context>
    <name>PrivacyRelation</name>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="436"/>
        <source>subject</source>
        <translation>subjekt údajů</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="437"/>
        <source>app user</source>
        <translation>uživatel aplikace</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="438"/>
        <source>guardian</source>
        <translation>zákonný zástupce</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="439"/>
        <source>representative</source>
        <translation>zmocněnec</translation>
    </message>
</context>
<context>
    <name>PrivacyRequestModel</name>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="119"/>
        <source>Number</source>
        <translation>Číslo</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="119"/>
        <source>Right</source>
        <translation>Právo</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="119"/>
        <source>Subject</source>
        <translation>Subjekt údajů</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="119"/>
        <source>Requester</source>
        <translation>Žadatel</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="120"/>
        <source>Channel</source>
        <translation>Kanál</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="120"/>
        <source>Received</source>
        <translation>Přijato</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="120"/>
        <source>Due</source>
        <translation>Lhůta</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="120"/>
        <source>State</source>
        <translation>Stav</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="203"/>
        <source>Write the note first: an empty note is not added.</source>
        <translation>Nejprve napište poznámku: prázdná poznámka se nepřidává.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="205"/>
        <source>The note is too long: at most {n} characters.</source>
        <translation>Poznámka je příliš dlouhá: nejvýše {n} znaků.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="207"/>
        <source>The note contains characters that cannot be saved (control characters).</source>
        <translation>Poznámka obsahuje znaky, které nelze uložit (řídicí znaky).</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="228"/>
        <source>Not sent yet: a note you added is kept on this computer and sent to the server as soon as it can be reached.</source>
        <translation>Dosud neodesláno: přidaná poznámka je uložena v tomto počítači a odešle se na server, jakmile bude dostupný.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="301"/>
        <source>the subject</source>
        <translation>subjekt údajů</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="311"/>
        <source>overdue {days} d</source>
        <translation>po lhůtě {days} d</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="311"/>
        <source>overdue</source>
        <translation>po lhůtě</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="313"/>
        <source>today</source>
        <translation>dnes</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="315"/>
        <source>tomorrow</source>
        <translation>zítra</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="316"/>
        <source>in {days} d</source>
        <translation>za {days} d</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="324"/>
        <source>Due {time}</source>
        <translation>Lhůta {time}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="326"/>
        <source>Extended; originally due {time}</source>
        <translation>Prodlouženo; původní lhůta {time}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="328"/>
        <source>Extension must be notified by {time}</source>
        <translation>Prodloužení je nutné oznámit do {time}</translation>
    </message>
</context>
<context>
    <name>PrivacyRight</name>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="395"/>
        <source>Access</source>
        <translation>Přístup</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="396"/>
        <source>Rectification</source>
        <translation>Oprava</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="397"/>
        <source>Erasure</source>
        <translation>Výmaz</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="398"/>
        <source>Restriction</source>
        <translation>Omezení zpracování</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="399"/>
        <source>Portability</source>
        <translation>Přenositelnost</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="400"/>
        <source>Objection</source>
        <translation>Námitka</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="401"/>
        <source>Consent withdrawal</source>
        <translation>Odvolání souhlasu</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="402"/>
        <source>Complaint</source>
        <translation>Stížnost</translation>
    </message>
</context>
<context>
    <name>PrivacyState</name>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="406"/>
        <source>Received</source>
        <translation>Přijatá</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="407"/>
        <source>Verifying identity</source>
        <translation>Ověřování totožnosti</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="408"/>
        <source>In progress</source>
        <translation>Ve zpracování</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="409"/>
        <source>Extended</source>
        <translation>Prodloužená</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="410"/>
        <source>Completed</source>
        <translation>Vyřízená</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="411"/>
        <source>Refused</source>
        <translation>Zamítnutá</translation>
    </message>
</context>
<context>
    <name>PrivacyWorkflow</name>
    <message>
        <location filename="../../ema_desktop/data/privacy_workflow.py" line="225"/>
        <source>No request is selected.</source>
        <translation>Není vybrána žádná žádost.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/data/privacy_workflow.py" line="263"/>
        <source>The erasure plan is not loaded yet.</source>
        <translation>Plán výmazu ještě není načten.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/data/privacy_workflow.py" line="271"/>
        <location filename="../../ema_desktop/data/privacy_workflow.py" line="277"/>
        <source>The request names no customer.</source>
        <translation>Žádost neuvádí žádného zákazníka.</translation>
    </message>
</context>
<context>
    <name>RectificationDialog</name>
    <message>
        <location filename="../../ema_desktop/views/rectification_dialog.py" line="21"/>
        <source>Correct the subject&apos;s data</source>
        <translation>Opravit údaje subjektu</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/rectification_dialog.py" line="22"/>
        <source>Change what the subject asked to have corrected. The correction is recorded in the request&apos;s history and the audit trail; recipients of the data are told through “Notify recipients”.</source>
        <translation>Změňte, co subjekt údajů žádá opravit. Oprava se zaznamená v historii žádosti a v auditní stopě; příjemce údajů informujete přes „Informovat příjemce“.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/rectification_dialog.py" line="24"/>
        <source>Correct</source>
        <translation>Opravit</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/rectification_dialog.py" line="26"/>
        <source>Name</source>
        <translation>Jméno</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/rectification_dialog.py" line="26"/>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/rectification_dialog.py" line="26"/>
        <source>Phone</source>
        <translation>Telefon</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/rectification_dialog.py" line="27"/>
        <source>Billing street</source>
        <translation>Fakturační ulice</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/rectification_dialog.py" line="27"/>
        <source>Billing city</source>
        <translation>Fakturační obec</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/rectification_dialog.py" line="28"/>
        <source>Postal code</source>
        <translation>PSČ</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/rectification_dialog.py" line="53"/>
        <source>Change at least one field.</source>
        <translation>Změňte alespoň jedno pole.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/rectification_dialog.py" line="55"/>
        <source>The name cannot be empty.</source>
        <translation>Jméno nemůže být prázdné.</translation>
    </message>
</context>
<context>
    <name>RefusalDialog</name>
    <message>
        <location filename="../../ema_desktop/views/privacy_step_dialogs.py" line="296"/>
        <source>Refuse {number}</source>
        <translation>Zamítnout {number}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_step_dialogs.py" line="297"/>
        <source>A refusal must give the subject the reason and tell them they may complain to the supervisory authority (ÚOOÚ) and seek a judicial remedy.</source>
        <translation>Zamítnutí musí subjektu údajů sdělit důvod a poučit ho o možnosti podat stížnost u dozorového úřadu (ÚOOÚ) a domáhat se soudní ochrany.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_step_dialogs.py" line="299"/>
        <source>Refuse</source>
        <translation>Zamítnout</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_step_dialogs.py" line="300"/>
        <source>Why the request is refused</source>
        <translation>Proč se žádost zamítá</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_step_dialogs.py" line="304"/>
        <source>The answer tells the subject they may complain to ÚOOÚ and go to court</source>
        <translation>Odpověď poučuje subjekt údajů o možnosti podat stížnost u ÚOOÚ a obrátit se na soud</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_step_dialogs.py" line="306"/>
        <source>Reason</source>
        <translation>Důvod</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_step_dialogs.py" line="307"/>
        <source>Answer sent by</source>
        <translation>Způsob odpovědi</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_step_dialogs.py" line="320"/>
        <source>Give the reason for the refusal.</source>
        <translation>Uveďte důvod zamítnutí.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_step_dialogs.py" line="322"/>
        <source>A refusal must tell the subject of the right to complain to ÚOOÚ (Art. 12(4)).</source>
        <translation>Zamítnutí musí subjekt údajů poučit o právu podat stížnost u ÚOOÚ (čl. 12 odst. 4).</translation>
    </message>
</context>
<context>
    <name>RequestWork</name>
    <message>
        <location filename="../../ema_desktop/views/privacy_request_work.py" line="180"/>
        <source>Package</source>
        <translation>Balíček</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_request_work.py" line="180"/>
        <source>Built</source>
        <translation>Vytvořen</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_request_work.py" line="180"/>
        <source>Size</source>
        <translation>Velikost</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_request_work.py" line="180"/>
        <source>Expires</source>
        <translation>Platnost do</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_request_work.py" line="181"/>
        <source>Downloads</source>
        <translation>Stažení</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_request_work.py" line="182"/>
        <source>Save…</source>
        <translation>Uložit…</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_request_work.py" line="184"/>
        <location filename="../../ema_desktop/views/privacy_request_work.py" line="323"/>
        <source>Save the selected package (a ZIP) to a file</source>
        <translation>Uložit vybraný balíček údajů (ZIP) do souboru</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_request_work.py" line="188"/>
        <source>Record class</source>
        <translation>Druh záznamů</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_request_work.py" line="188"/>
        <source>Count</source>
        <translation>Počet</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_request_work.py" line="188"/>
        <location filename="../../ema_desktop/views/privacy_request_work.py" line="207"/>
        <source>Action</source>
        <translation>Akce</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_request_work.py" line="188"/>
        <source>Basis</source>
        <translation>Právní základ</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_request_work.py" line="189"/>
        <source>Until</source>
        <translation>Do</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_request_work.py" line="207"/>
        <source>Recipient</source>
        <translation>Příjemce</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_request_work.py" line="207"/>
        <source>State</source>
        <translation>Stav</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_request_work.py" line="207"/>
        <source>Justification</source>
        <translation>Odůvodnění</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_request_work.py" line="211"/>
        <source>Notified</source>
        <translation>Oznámeno</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_request_work.py" line="211"/>
        <source>Acknowledged</source>
        <translation>Potvrzeno</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_request_work.py" line="212"/>
        <source>Exempted…</source>
        <translation>Upustit od oznámení…</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_request_work.py" line="223"/>
        <source>Notices to recipients (Art. 19)</source>
        <translation>Oznámení příjemcům (čl. 19)</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_request_work.py" line="318"/>
        <source>Needs the server: the console is offline.</source>
        <translation>Vyžaduje server: konzole je offline.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_request_work.py" line="320"/>
        <source>Packages</source>
        <translation>Balíčky údajů</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_request_work.py" line="332"/>
        <source>Rectifications</source>
        <translation>Opravy</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_request_work.py" line="336"/>
        <source>No rectification recorded yet. “Correct the data…” changes the customer&apos;s record under this request; each correction appears here.</source>
        <translation>Zatím nezaznamenána žádná oprava. „Opravit údaje…“ změní záznam zákazníka v rámci této žádosti; každá oprava se zobrazí zde.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_request_work.py" line="351"/>
        <source>Portability</source>
        <translation>Přenositelnost</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_request_work.py" line="351"/>
        <source>Access</source>
        <translation>Přístup</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_request_work.py" line="352"/>
        <source>expired</source>
        <translation>platnost vypršela</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_request_work.py" line="358"/>
        <source>Erasure executed</source>
        <translation>Výmaz proveden</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_request_work.py" line="360"/>
        <source>Executed {time}. Kept: {kept}. Open the erasure report for the letters.</source>
        <translation>Provedeno {time}. Uchováno: {kept}. Dopisy najdete v protokolu o výmazu.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_request_work.py" line="366"/>
        <source>Erasure plan</source>
        <translation>Plán výmazu</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_request_work.py" line="369"/>
        <source>The plan could not be loaded.</source>
        <translation>Plán se nepodařilo načíst.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_request_work.py" line="387"/>
        <source>Consents</source>
        <translation>Souhlasy</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_request_work.py" line="402"/>
        <source>withdrawn under this request</source>
        <translation>odvolán v rámci této žádosti</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_request_work.py" line="404"/>
        <source>never given</source>
        <translation>nikdy neudělen</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_request_work.py" line="407"/>
        <source>granted</source>
        <translation>udělen</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_request_work.py" line="407"/>
        <source>not granted</source>
        <translation>neudělen</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_request_work.py" line="410"/>
        <source>Withdrawn ✓</source>
        <translation>Odvolán ✓</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_request_work.py" line="410"/>
        <source>Withdraw</source>
        <translation>Odvolat</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_request_work.py" line="416"/>
        <source>Verify the subject&apos;s identity first.</source>
        <translation>Nejprve ověřte totožnost subjektu údajů.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_request_work.py" line="425"/>
        <source>The request names no purposes.</source>
        <translation>Žádost neuvádí žádné účely.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_request_work.py" line="434"/>
        <source>Restriction</source>
        <translation>Omezení zpracování</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_request_work.py" line="437"/>
        <source>No restriction placed for this request yet.</source>
        <translation>Na základě této žádosti zatím zpracování omezeno nebylo.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_request_work.py" line="439"/>
        <source>Restricted since {time}: only stored, processed for nothing else.</source>
        <translation>Omezeno od {time}: údaje se pouze uchovávají, jinak se nezpracovávají.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_request_work.py" line="441"/>
        <source>Subject told of the lift on {time}.</source>
        <translation>Subjekt údajů upozorněn na zrušení omezení {time}.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_request_work.py" line="443"/>
        <source>The subject has not been told of a lift yet (Art. 18(3)).</source>
        <translation>Subjekt údajů zatím nebyl upozorněn na zrušení omezení (čl. 18 odst. 3).</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_request_work.py" line="445"/>
        <source>Lifted on {time}: {reason}</source>
        <translation>Zrušeno {time}: {reason}</translation>
    </message>
</context>
<context>
    <name>Retention</name>
    <message>
        <location filename="../../ema_desktop/models/retention.py" line="145"/>
        <source>{action}: {n}</source>
        <translation>{action}: {n}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/retention.py" line="149"/>
        <source>Kept for legal holds: {n}</source>
        <translation>Ponecháno kvůli zákonnému uchování: {n}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/retention.py" line="152"/>
        <source>Not finished</source>
        <translation>Nedokončeno</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/retention.py" line="153"/>
        <source>Nothing expired</source>
        <translation>Nic nevypršelo</translation>
    </message>
</context>
<context>
    <name>RetentionAction</name>
    <message>
        <location filename="../../ema_desktop/models/retention.py" line="70"/>
        <source>Delete</source>
        <translation>Smazat</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/retention.py" line="71"/>
        <source>Anonymise</source>
        <translation>Anonymizovat</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/retention.py" line="72"/>
        <source>Restrict</source>
        <translation>Omezit</translation>
    </message>
</context>
<context>
    <name>RetentionCategory</name>
    <message>
        <location filename="../../ema_desktop/models/retention.py" line="57"/>
        <source>Security logs</source>
        <translation>Bezpečnostní záznamy</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/retention.py" line="58"/>
        <source>Technical logs</source>
        <translation>Technické záznamy</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/retention.py" line="59"/>
        <source>Tickets and communications</source>
        <translation>Požadavky a komunikace</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/retention.py" line="60"/>
        <source>Accounting documents</source>
        <translation>Účetní doklady</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/retention.py" line="61"/>
        <source>VAT documents (invoices)</source>
        <translation>Daňové doklady (faktury)</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/retention.py" line="62"/>
        <source>Documents for legal claims</source>
        <translation>Dokumenty pro právní nároky</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/retention.py" line="63"/>
        <source>Contract documents</source>
        <translation>Smluvní dokumenty</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/retention.py" line="64"/>
        <source>Charging sessions</source>
        <translation>Nabíjecí relace</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/retention.py" line="65"/>
        <source>Consent history</source>
        <translation>Historie souhlasů</translation>
    </message>
</context>
<context>
    <name>RetentionCounts</name>
    <message numerus="yes">
        <location filename="../../ema_desktop/models/retention.py" line="104"/>
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n den</numerusform>
            <numerusform>%n dny</numerusform>
            <numerusform>%n dní</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ema_desktop/models/retention.py" line="107"/>
        <source>%n month(s)</source>
        <translation>
            <numerusform>%n měsíc</numerusform>
            <numerusform>%n měsíce</numerusform>
            <numerusform>%n měsíců</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ema_desktop/models/retention.py" line="110"/>
        <source>%n year(s)</source>
        <translation>
            <numerusform>%n rok</numerusform>
            <numerusform>%n roky</numerusform>
            <numerusform>%n let</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RetentionModel</name>
    <message>
        <location filename="../../ema_desktop/models/retention.py" line="426"/>
        <source>Could not load the legal holds: {message}</source>
        <translation>Zákonná uchování se nepodařilo načíst: {message}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/retention.py" line="434"/>
        <source>Could not load the retention periods: {message}</source>
        <translation>Doby uchování se nepodařilo načíst: {message}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/retention.py" line="442"/>
        <source>Could not load the retention runs: {message}</source>
        <translation>Běhy skartace se nepodařilo načíst: {message}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/retention.py" line="525"/>
        <source>Legal hold placed on {label}.</source>
        <translation>Zákonné uchování uloženo: {label}.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/retention.py" line="538"/>
        <source>Legal hold lifted: {on}.</source>
        <translation>Zákonné uchování zrušeno: {on}.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/retention.py" line="550"/>
        <source>{category}: kept for {period}, then {action}.</source>
        <translation>{category}: uchovávat {period}, potom {action}.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/retention.py" line="568"/>
        <source>The retention run failed: {message}</source>
        <translation>Běh skartace selhal: {message}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/retention.py" line="575"/>
        <source>Dry run finished, nothing changed: {result}</source>
        <translation>Zkušební běh dokončen, nic se nezměnilo: {result}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/retention.py" line="577"/>
        <source>Retention run finished: {result}</source>
        <translation>Běh skartace dokončen: {result}</translation>
    </message>
</context>
<context>
    <name>RetentionPane</name>
    <message>
        <location filename="../../ema_desktop/views/retention_pane.py" line="374"/>
        <source>Reload</source>
        <translation>Načíst znovu</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/retention_pane.py" line="378"/>
        <source>Active holds only</source>
        <translation>Jen platná uchování</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/retention_pane.py" line="381"/>
        <source>Place hold…</source>
        <translation>Uložit uchování…</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/retention_pane.py" line="383"/>
        <source>Lift…</source>
        <translation>Zrušit…</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/retention_pane.py" line="386"/>
        <source>End the selected hold, with the reason</source>
        <translation>Ukončit vybrané uchování s uvedením důvodu</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/retention_pane.py" line="395"/>
        <source>No legal holds to show.</source>
        <translation>Žádná zákonná uchování k zobrazení.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/retention_pane.py" line="400"/>
        <source>A legal hold keeps every record of a customer or a ticket for the whole proceedings: retention runs and erasure skip them until the hold is lifted.</source>
        <translation>Zákonné uchování ponechá všechny záznamy zákazníka nebo požadavku po celou dobu řízení: běhy skartace i výmaz je vynechávají, dokud uchování nebude zrušeno.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/retention_pane.py" line="409"/>
        <source>Select a category and choose Change… to set how long its records are kept and what happens to them then.</source>
        <translation>Vyberte kategorii a zvolte Změnit…, chcete-li nastavit, jak dlouho se její záznamy uchovávají a co se s nimi potom stane.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/retention_pane.py" line="412"/>
        <source>Only an administrator can change the retention periods.</source>
        <translation>Doby uchování může měnit jen administrátor.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/retention_pane.py" line="416"/>
        <source>Change…</source>
        <translation>Změnit…</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/retention_pane.py" line="432"/>
        <source>The retention job runs daily; each run deletes, anonymises or restricts what has expired, except what a legal hold keeps.</source>
        <translation>Skartace běží denně; každý běh smaže, anonymizuje nebo omezí, co vypršelo, kromě toho, co drží zákonné uchování.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/retention_pane.py" line="435"/>
        <source>Preview (dry run)</source>
        <translation>Náhled (zkušební běh)</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/retention_pane.py" line="437"/>
        <source>Count what would expire now, changing nothing</source>
        <translation>Spočítat, co by teď vypršelo, beze změn</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/retention_pane.py" line="438"/>
        <source>Run now…</source>
        <translation>Spustit nyní…</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/retention_pane.py" line="443"/>
        <source>No retention run yet. The daily run and every run started here are listed with what they did.</source>
        <translation>Zatím žádný běh skartace. Denní běh i každý běh spuštěný odsud se tu objeví i s tím, co provedl.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/retention_pane.py" line="454"/>
        <source>Legal holds</source>
        <translation>Zákonná uchování</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/retention_pane.py" line="455"/>
        <source>Retention periods</source>
        <translation>Doby uchování</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/retention_pane.py" line="456"/>
        <source>Retention runs</source>
        <translation>Běhy skartace</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/retention_pane.py" line="521"/>
        <source>Lift legal hold</source>
        <translation>Zrušit zákonné uchování</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/retention_pane.py" line="522"/>
        <source>The hold on {on} ends: its records fall under the retention periods again.</source>
        <translation>Uchování ({on}) končí: jeho záznamy opět podléhají dobám uchování.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/retention_pane.py" line="524"/>
        <source>Why it is lifted</source>
        <translation>Důvod zrušení</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/retention_pane.py" line="524"/>
        <source>E.g. the proceedings ended with a final judgment</source>
        <translation>Např. řízení skončilo pravomocným rozsudkem</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/retention_pane.py" line="525"/>
        <source>Lift hold</source>
        <translation>Zrušit uchování</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/retention_pane.py" line="554"/>
        <source>Active holds: {n}</source>
        <translation>Platná uchování: {n}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/retention_pane.py" line="557"/>
        <source>Holds: {n}, of them active: {active}</source>
        <translation>Uchování: {n}, z toho platných: {active}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/retention_pane.py" line="569"/>
        <source>Run retention now</source>
        <translation>Spustit skartaci nyní</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/retention_pane.py" line="570"/>
        <source>Run the retention job now? Expired records will be deleted, anonymised or restricted for real; records under a legal hold are kept.</source>
        <translation>Spustit skartaci nyní? Záznamy, jimž vypršela doba uchování, budou skutečně smazány, anonymizovány nebo omezeny; záznamy pod zákonným uchováním zůstanou.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/retention_pane.py" line="572"/>
        <source>Run now</source>
        <translation>Spustit</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/retention_pane.py" line="572"/>
        <source>Cancel</source>
        <translation>Zrušit</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/retention_pane.py" line="573"/>
        <source>A dry run shows first what would happen, changing nothing.</source>
        <translation>Zkušební běh nejprve ukáže, co by se stalo, a nic nezmění.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/retention_pane.py" line="579"/>
        <source>Dry run under way…</source>
        <translation>Probíhá zkušební běh…</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/retention_pane.py" line="579"/>
        <source>Retention run under way…</source>
        <translation>Probíhá skartace…</translation>
    </message>
</context>
<context>
    <name>RetentionPoliciesModel</name>
    <message>
        <location filename="../../ema_desktop/models/retention.py" line="267"/>
        <source>Category</source>
        <translation>Kategorie</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/retention.py" line="267"/>
        <source>Kept for</source>
        <translation>Uchovávat</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/retention.py" line="267"/>
        <source>Then</source>
        <translation>Potom</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/retention.py" line="267"/>
        <source>What it covers</source>
        <translation>Čeho se týká</translation>
    </message>
</context>
<context>
    <name>RetentionRunsModel</name>
    <message>
        <location filename="../../ema_desktop/models/retention.py" line="314"/>
        <source>Started</source>
        <translation>Zahájeno</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/retention.py" line="314"/>
        <source>Finished</source>
        <translation>Dokončeno</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/retention.py" line="314"/>
        <source>Kind</source>
        <translation>Druh</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/retention.py" line="314"/>
        <source>Started by</source>
        <translation>Spustil</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/retention.py" line="315"/>
        <source>Result</source>
        <translation>Výsledek</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/retention.py" line="315"/>
        <source>Per category</source>
        <translation>Podle kategorií</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/retention.py" line="329"/>
        <source>Dry run (nothing changed)</source>
        <translation>Zkušební běh (beze změn)</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/retention.py" line="329"/>
        <source>Real run</source>
        <translation>Skutečný běh</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/retention.py" line="340"/>
        <source>Running…</source>
        <translation>Probíhá…</translation>
    </message>
</context>
<context>
    <name>RetentionTrigger</name>
    <message>
        <location filename="../../ema_desktop/models/retention.py" line="76"/>
        <source>Started by an administrator</source>
        <translation>Spuštěno administrátorem</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/retention.py" line="77"/>
        <source>Daily schedule</source>
        <translation>Denní plán</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/retention.py" line="78"/>
        <source>Server (command line)</source>
        <translation>Server (příkazová řádka)</translation>
    </message>
</context>
<context>
    <name>SearchPalette</name>
    <message>
        <location filename="../../ema_desktop/views/search_palette.py" line="99"/>
        <source>Find a customer or station: name, phone, e-mail, customer no., IČO, serial, OCPP id</source>
        <translation>Najděte zákazníka nebo stanici: jméno, telefon, e-mail, č. zákazníka, IČO, sériové číslo, OCPP ID</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/search_palette.py" line="108"/>
        <location filename="../../ema_desktop/views/search_palette.py" line="142"/>
        <source>Type at least two characters.</source>
        <translation>Zadejte alespoň dva znaky.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/search_palette.py" line="144"/>
        <source>Nothing found for “{query}”.</source>
        <translation>Pro „{query}“ nebylo nic nalezeno.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/search_palette.py" line="146"/>
        <source>{count} found · Enter opens · Esc closes</source>
        <translation>Nalezeno: {count} · Enter otevře · Esc zavře</translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <location filename="../../ema_desktop/views/sign_in.py" line="36"/>
        <source>Sign in — EMA Console</source>
        <translation>Přihlášení — Konzole EMA</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/sign_in.py" line="42"/>
        <source>EMA Console</source>
        <translation>Konzole EMA</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/sign_in.py" line="51"/>
        <source>SECTRON operator console</source>
        <translation>Operátorská konzole SECTRON</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/sign_in.py" line="60"/>
        <source>e.g. jana.novakova</source>
        <translation>např. jana.novakova</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/sign_in.py" line="64"/>
        <source>6 digits from the authenticator app</source>
        <translation>6 číslic z ověřovací aplikace</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/sign_in.py" line="66"/>
        <source>Server</source>
        <translation>Server</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/sign_in.py" line="67"/>
        <source>Username</source>
        <translation>Uživatelské jméno</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/sign_in.py" line="68"/>
        <source>Password</source>
        <translation>Heslo</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/sign_in.py" line="69"/>
        <source>One-time code</source>
        <translation>Jednorázový kód</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/sign_in.py" line="82"/>
        <source>Sign in</source>
        <translation>Přihlásit se</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/sign_in.py" line="95"/>
        <source>server</source>
        <translation>server</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/sign_in.py" line="95"/>
        <source>username</source>
        <translation>uživatelské jméno</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/sign_in.py" line="96"/>
        <source>password</source>
        <translation>heslo</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/sign_in.py" line="98"/>
        <source>Fill in the {fields}.</source>
        <translation>Vyplňte: {fields}.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/sign_in.py" line="107"/>
        <source>Signing in…</source>
        <translation>Probíhá přihlášení…</translation>
    </message>
</context>
<context>
    <name>StationPin</name>
    <message>
        <location filename="../../ema_desktop/models/stations.py" line="87"/>
        <source>Status: {status}</source>
        <translation>Stav: {status}</translation>
    </message>
</context>
<context>
    <name>StationStatus</name>
    <message>
        <location filename="../../ema_desktop/models/stations.py" line="28"/>
        <source>Faulted</source>
        <translation>Porucha</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/stations.py" line="29"/>
        <source>Unavailable</source>
        <translation>Nedostupná</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/stations.py" line="30"/>
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/stations.py" line="31"/>
        <source>Charging</source>
        <translation>Nabíjí</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/stations.py" line="32"/>
        <source>SuspendedEV</source>
        <translation>Pozastaveno vozidlem</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/stations.py" line="33"/>
        <source>SuspendedEVSE</source>
        <translation>Pozastaveno stanicí</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/stations.py" line="34"/>
        <source>Preparing</source>
        <translation>Připravuje se</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/stations.py" line="35"/>
        <source>Finishing</source>
        <translation>Dokončuje</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/stations.py" line="36"/>
        <source>Reserved</source>
        <translation>Rezervována</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/stations.py" line="37"/>
        <source>Available</source>
        <translation>Volná</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/stations.py" line="38"/>
        <source>Online</source>
        <translation>Online</translation>
    </message>
</context>
<context>
    <name>StepBar</name>
    <message>
        <location filename="../../ema_desktop/views/privacy_request_work.py" line="119"/>
        <source>Done</source>
        <translation>Hotovo</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_request_work.py" line="119"/>
        <source>The request is here</source>
        <translation>Žádost je v tomto kroku</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_request_work.py" line="120"/>
        <source>Still ahead</source>
        <translation>Teprve následuje</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_request_work.py" line="120"/>
        <source>Skipped</source>
        <translation>Přeskočeno</translation>
    </message>
</context>
<context>
    <name>SubjectMatch</name>
    <message>
        <location filename="../../ema_desktop/views/privacy_intake_dialog.py" line="48"/>
        <source>name</source>
        <translation>jméno</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_intake_dialog.py" line="49"/>
        <source>e-mail</source>
        <translation>e-mail</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_intake_dialog.py" line="50"/>
        <source>phone</source>
        <translation>telefon</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_intake_dialog.py" line="51"/>
        <source>customer number</source>
        <translation>číslo zákazníka</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_intake_dialog.py" line="52"/>
        <source>contract</source>
        <translation>smlouva</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_intake_dialog.py" line="53"/>
        <source>RFID card</source>
        <translation>RFID karta</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_intake_dialog.py" line="54"/>
        <source>station</source>
        <translation>stanice</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_intake_dialog.py" line="55"/>
        <source>app login</source>
        <translation>přihlášení do aplikace</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_intake_dialog.py" line="56"/>
        <source>company ID (IČO)</source>
        <translation>IČO</translation>
    </message>
</context>
<context>
    <name>SyncStatus</name>
    <message>
        <location filename="../../ema_desktop/views/sync_status.py" line="34"/>
        <source>Cancel</source>
        <translation>Zrušit</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/sync_status.py" line="53"/>
        <source>Downloading data for offline use… {percent} %</source>
        <translation>Stahování dat pro práci offline… {percent} %</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/sync_status.py" line="56"/>
        <source>Downloading data for offline use… {count} records</source>
        <translation>Stahování dat pro práci offline… záznamů: {count}</translation>
    </message>
    <message numerus="yes">
        <location filename="../../ema_desktop/views/sync_status.py" line="76"/>
        <source>%n conflict(s) to resolve</source>
        <translation>
            <numerusform>%n konflikt k vyřešení</numerusform>
            <numerusform>%n konflikty k vyřešení</numerusform>
            <numerusform>%n konfliktů k vyřešení</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ema_desktop/views/sync_status.py" line="79"/>
        <source>%n change(s) refused</source>
        <translation>
            <numerusform>%n změna odmítnuta</numerusform>
            <numerusform>%n změny odmítnuty</numerusform>
            <numerusform>%n změn odmítnuto</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ema_desktop/views/sync_status.py" line="82"/>
        <source>%n change(s) waiting to be sent</source>
        <translation>
            <numerusform>%n změna čeká na odeslání</numerusform>
            <numerusform>%n změny čekají na odeslání</numerusform>
            <numerusform>%n změn čeká na odeslání</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/sync_status.py" line="88"/>
        <source>Changes made here that the server does not have yet. Click to review.</source>
        <translation>Změny provedené v tomto počítači, které server ještě nemá. Kliknutím je zobrazíte.</translation>
    </message>
</context>
<context>
    <name>TelemetryLabels</name>
    <message>
        <location filename="../../ema_desktop/models/telemetry.py" line="165"/>
        <source>Station</source>
        <translation>Stanice</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/telemetry.py" line="167"/>
        <source>Connector {no}</source>
        <translation>Konektor {no}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/telemetry.py" line="349"/>
        <source>The station&apos;s telemetry could not be loaded.</source>
        <translation>Telemetrii stanice se nepodařilo načíst.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/telemetry.py" line="429"/>
        <source>{n} h</source>
        <translation>{n} h</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/telemetry.py" line="430"/>
        <source>{n} min</source>
        <translation>{n} min</translation>
    </message>
</context>
<context>
    <name>TelemetryPane</name>
    <message>
        <location filename="../../ema_desktop/views/telemetry_pane.py" line="53"/>
        <source>Select a station on the map or in a customer&apos;s detail to see its power and energy live.</source>
        <translation>Vyberte stanici na mapě nebo v detailu zákazníka a uvidíte její výkon a energii v reálném čase.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/telemetry_pane.py" line="269"/>
        <source>No station selected</source>
        <translation>Není vybrána žádná stanice</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/telemetry_pane.py" line="305"/>
        <location filename="../../ema_desktop/views/telemetry_pane.py" line="492"/>
        <source>Power now</source>
        <translation>Aktuální výkon</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/telemetry_pane.py" line="306"/>
        <location filename="../../ema_desktop/views/telemetry_pane.py" line="494"/>
        <source>Energy, last {window}</source>
        <translation>Energie za {window}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/telemetry_pane.py" line="332"/>
        <source>Show the last {window}</source>
        <translation>Zobrazit období {window}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/telemetry_pane.py" line="349"/>
        <source>Power (kW)</source>
        <translation>Výkon (kW)</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/telemetry_pane.py" line="351"/>
        <source>Energy delivered (kWh)</source>
        <translation>Dodaná energie (kWh)</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/telemetry_pane.py" line="467"/>
        <source>Loading power and energy of {station}…</source>
        <translation>Načítání výkonu a energie stanice {station}…</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/telemetry_pane.py" line="469"/>
        <source>Telemetry could not be loaded.</source>
        <translation>Telemetrii se nepodařilo načíst.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/telemetry_pane.py" line="471"/>
        <source>{station} reported no power or energy in the last {window}.</source>
        <translation>Stanice {station} za období {window} nehlásila žádný výkon ani energii.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/telemetry_pane.py" line="487"/>
        <source>Loading…</source>
        <translation>Načítání…</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/telemetry_pane.py" line="487"/>
        <source>Live power and energy</source>
        <translation>Výkon a energie v reálném čase</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/telemetry_pane.py" line="491"/>
        <source>Power at {time}</source>
        <translation>Výkon v {time}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/telemetry_pane.py" line="573"/>
        <source>Energy register {energy} at {time}</source>
        <translation>Stav elektroměru {energy} v {time}</translation>
    </message>
</context>
<context>
    <name>TextStepDialog</name>
    <message>
        <location filename="../../ema_desktop/views/privacy_step_dialogs.py" line="167"/>
        <source>Fill in the text to continue.</source>
        <translation>Pro pokračování vyplňte text.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_step_dialogs.py" line="169"/>
        <source>At most {n} characters.</source>
        <translation>Nejvýše {n} znaků.</translation>
    </message>
</context>
<context>
    <name>TicketColumn</name>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="333"/>
        <source>Number</source>
        <translation>Číslo</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="334"/>
        <source>Priority</source>
        <translation>Priorita</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="335"/>
        <source>State</source>
        <translation>Stav</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="336"/>
        <source>Title</source>
        <translation>Název</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="337"/>
        <source>Owner</source>
        <translation>Řešitel</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="338"/>
        <source>Due</source>
        <translation>Termín</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="339"/>
        <source>Updated</source>
        <translation>Změněno</translation>
    </message>
</context>
<context>
    <name>TicketEditor</name>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="969"/>
        <source>A ticket that is {current} cannot move to {wanted}.</source>
        <translation>Tiket ve stavu „{current}“ nelze přesunout do stavu „{wanted}“.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="987"/>
        <source>Write the comment first: an empty comment is not sent.</source>
        <translation>Nejprve napište komentář: prázdný komentář se neodesílá.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="1022"/>
        <source>Someone else changed ticket {number} in the meantime, so your change was not saved. The ticket has been reloaded: check it and try again.</source>
        <translation>Tiket {number} mezitím změnil někdo jiný, proto vaše změna nebyla uložena. Tiket byl znovu načten: zkontrolujte ho a zkuste to znovu.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="1071"/>
        <source>{name} could not be read: {reason}</source>
        <translation>Soubor {name} se nepodařilo přečíst: {reason}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="1078"/>
        <source>{name} is empty: there is nothing to attach.</source>
        <translation>Soubor {name} je prázdný: není co přiložit.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="1081"/>
        <source>{name} is not a JPEG or PNG photo or a PDF document, so it cannot be attached.</source>
        <translation>Soubor {name} není fotografie JPEG ani PNG ani dokument PDF, proto ho nelze přiložit.</translation>
    </message>
</context>
<context>
    <name>TicketField</name>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="118"/>
        <source>Title</source>
        <translation>Název</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="119"/>
        <source>Description</source>
        <translation>Popis</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="120"/>
        <source>Priority</source>
        <translation>Priorita</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="121"/>
        <source>State</source>
        <translation>Stav</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="122"/>
        <source>Owner</source>
        <translation>Řešitel</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="123"/>
        <source>Customer</source>
        <translation>Zákazník</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="124"/>
        <source>Station</source>
        <translation>Stanice</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="125"/>
        <source>Connector</source>
        <translation>Konektor</translation>
    </message>
</context>
<context>
    <name>TicketKind</name>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="98"/>
        <source>Fault</source>
        <translation>Porucha</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="99"/>
        <source>Complaint</source>
        <translation>Reklamace</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="100"/>
        <source>Service request</source>
        <translation>Servisní požadavek</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="101"/>
        <source>Service event</source>
        <translation>Servisní událost</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="102"/>
        <source>Question</source>
        <translation>Dotaz</translation>
    </message>
</context>
<context>
    <name>TicketLabels</name>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="150"/>
        <source>Your change has not reached the server yet; it is sent automatically when the connection is back.</source>
        <translation>Vaše změna se ještě nedostala na server; odešle se automaticky, jakmile bude spojení obnoveno.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="162"/>
        <source>unsent</source>
        <translation>neodesláno</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="267"/>
        <source>{n} min</source>
        <translation>{n} min</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="269"/>
        <source>{n} h</source>
        <translation>{n} h</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="270"/>
        <source>{n} d</source>
        <translation>{n} d</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="293"/>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="388"/>
        <source>overdue {span}</source>
        <translation>po splatnosti {span}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="294"/>
        <location filename="../../ema_desktop/models/tickets.py" line="311"/>
        <source>in {span}</source>
        <translation>za {span}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="302"/>
        <source>Was due {when} — {state}, no deadline runs</source>
        <translation>Termín byl {when} — tiket je {state}, lhůta neběží</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="306"/>
        <source>Legal deadline {when}</source>
        <translation>Zákonná lhůta {when}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="307"/>
        <source>Due {when}</source>
        <translation>Termín {when}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="310"/>
        <source>overdue by {span}</source>
        <translation>po splatnosti {span}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="314"/>
        <source>legal deadline {when}</source>
        <translation>zákonná lhůta {when}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="1092"/>
        <source>{name} is {size} MB; a ticket attachment may be at most {limit} MB.</source>
        <translation>Soubor {name} má {size} MB; příloha tiketu smí mít nejvýše {limit} MB.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="1119"/>
        <source>Unassigned</source>
        <translation>Nepřiřazeno</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="1122"/>
        <source>{name} (me)</source>
        <translation>{name} (já)</translation>
    </message>
</context>
<context>
    <name>TicketPriority</name>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="105"/>
        <source>Critical</source>
        <translation>Kritická</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="106"/>
        <source>High</source>
        <translation>Vysoká</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="107"/>
        <source>Normal</source>
        <translation>Normální</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="108"/>
        <source>Low</source>
        <translation>Nízká</translation>
    </message>
</context>
<context>
    <name>TicketQueueModel</name>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="426"/>
        <source>Unassigned</source>
        <translation>Nepřiřazeno</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="428"/>
        <source>Me</source>
        <translation>Já</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="430"/>
        <source>Former colleague</source>
        <translation>Bývalý kolega</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="704"/>
        <source>Updated {when} · created {created}</source>
        <translation>Změněno {when} · vytvořeno {created}</translation>
    </message>
</context>
<context>
    <name>TicketScope</name>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="111"/>
        <source>Open work</source>
        <translation>Otevřené</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="112"/>
        <source>Mine</source>
        <translation>Moje</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="113"/>
        <source>Overdue</source>
        <translation>Po splatnosti</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="114"/>
        <source>Resolved</source>
        <translation>Vyřešené</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="115"/>
        <source>All</source>
        <translation>Vše</translation>
    </message>
</context>
<context>
    <name>TicketState</name>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="90"/>
        <source>New</source>
        <translation>Nový</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="91"/>
        <source>Open</source>
        <translation>Otevřený</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="92"/>
        <source>In progress</source>
        <translation>V řešení</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="93"/>
        <source>Waiting for customer</source>
        <translation>Čeká na zákazníka</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="94"/>
        <source>Resolved</source>
        <translation>Vyřešený</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="95"/>
        <source>Closed</source>
        <translation>Uzavřený</translation>
    </message>
</context>
<context>
    <name>TicketsPane</name>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="302"/>
        <source>Dismiss</source>
        <translation>Zavřít</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="330"/>
        <source>Filter by number or title</source>
        <translation>Filtrovat podle čísla nebo názvu</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="336"/>
        <source>All priorities</source>
        <translation>Všechny priority</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="343"/>
        <source>All kinds</source>
        <translation>Všechny druhy</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="438"/>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="763"/>
        <source>Select a ticket in the queue to see its details and history.</source>
        <translation>Vyberte tiket ve frontě a zobrazí se jeho podrobnosti a historie.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="471"/>
        <source>Changes not sent yet</source>
        <translation>Změny dosud neodeslány</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="479"/>
        <source>Start privacy request…</source>
        <translation>Založit žádost GDPR…</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="481"/>
        <source>Register a data-subject request from this ticket: the customer and text are filled in, and the two stay linked</source>
        <translation>Zaevidovat z tohoto tiketu žádost subjektu údajů: zákazník a text se předvyplní a tiket i žádost zůstanou propojené</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="526"/>
        <source>Customer</source>
        <translation>Zákazník</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="527"/>
        <source>Station</source>
        <translation>Stanice</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="528"/>
        <source>Deadline</source>
        <translation>Termín</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="529"/>
        <source>Owner</source>
        <translation>Řešitel</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="530"/>
        <source>Move to</source>
        <translation>Přesunout do</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="546"/>
        <source>History</source>
        <translation>Historie</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="582"/>
        <source>Attach photo…</source>
        <translation>Přiložit fotografii…</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="584"/>
        <source>Attach photos (JPEG, PNG) or PDF documents to this ticket, e.g. for a service report; at most {limit} MB each.</source>
        <translation>Přiložte k tiketu fotografie (JPEG, PNG) nebo dokumenty PDF, např. k servisnímu protokolu; každý soubor nejvýše {limit} MB.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="589"/>
        <source>Public reply (the customer sees it)</source>
        <translation>Veřejná odpověď (uvidí ji zákazník)</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="594"/>
        <source>Send</source>
        <translation>Odeslat</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="596"/>
        <source>Send (Ctrl+Enter)</source>
        <translation>Odeslat (Ctrl+Enter)</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="707"/>
        <source>Loading tickets…</source>
        <translation>Načítání tiketů…</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="716"/>
        <source>{shown} of {total} tickets</source>
        <translation>Tikety: {shown} z {total}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="718"/>
        <source>1 ticket</source>
        <translation>1 tiket</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="720"/>
        <source>{n} tickets</source>
        <translation>Tiketů: {n}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="721"/>
        <source>{n} overdue</source>
        <translation>po splatnosti: {n}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="742"/>
        <source>Working…</source>
        <translation>Probíhá…</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="765"/>
        <source>Loading the ticket…</source>
        <translation>Načítání tiketu…</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="785"/>
        <source>No description.</source>
        <translation>Bez popisu.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="815"/>
        <source>connector {n}</source>
        <translation>konektor {n}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="829"/>
        <source>Move {number} to “{state}”</source>
        <translation>Přesunout {number} do stavu „{state}“</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="925"/>
        <source>You</source>
        <translation>Vy</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="927"/>
        <source>EMA (automatic)</source>
        <translation>EMA (automaticky)</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="943"/>
        <source>Public reply</source>
        <translation>Veřejná odpověď</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="943"/>
        <source>Internal note</source>
        <translation>Interní poznámka</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="951"/>
        <source>Opened the ticket</source>
        <translation>Tiket založen</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="955"/>
        <source>Attached {name}</source>
        <translation>Příloha: {name}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="955"/>
        <source>a file</source>
        <translation>soubor</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="969"/>
        <source>Edited the description</source>
        <translation>Popis upraven</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="971"/>
        <source>Linked to another customer</source>
        <translation>Propojeno s jiným zákazníkem</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="972"/>
        <source>Linked to another station</source>
        <translation>Propojeno s jinou stanicí</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="973"/>
        <source>{field} removed</source>
        <translation>{field}: odebráno</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="1018"/>
        <source>Attach photos to {number}</source>
        <translation>Přiložit fotografie k tiketu {number}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="1021"/>
        <source>Photos and PDF documents ({patterns})</source>
        <translation>Fotografie a dokumenty PDF ({patterns})</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="1050"/>
        <source>Public reply — the customer will read this…</source>
        <translation>Veřejná odpověď — zákazník si ji přečte…</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="1051"/>
        <source>Send reply</source>
        <translation>Odeslat odpověď</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="1053"/>
        <source>Internal note — only SECTRON staff see it…</source>
        <translation>Interní poznámka — uvidí ji jen zaměstnanci SECTRON…</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="1054"/>
        <source>Add note</source>
        <translation>Přidat poznámku</translation>
    </message>
</context>
<context>
    <name>Workspace</name>
    <message>
        <location filename="../../ema_desktop/workspace.py" line="90"/>
        <source>Customers</source>
        <translation>Zákazníci</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/workspace.py" line="93"/>
        <source>Tickets</source>
        <translation>Tikety</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/workspace.py" line="96"/>
        <source>Privacy requests</source>
        <translation>Žádosti GDPR</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/workspace.py" line="99"/>
        <source>Audit</source>
        <translation>Audit</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/workspace.py" line="102"/>
        <source>Retention</source>
        <translation>Uchovávání</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/workspace.py" line="104"/>
        <source>Device map</source>
        <translation>Mapa zařízení</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/workspace.py" line="105"/>
        <source>Live telemetry</source>
        <translation>Živá telemetrie</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/workspace.py" line="180"/>
        <source>The server refused a change ({summary}): {reason}</source>
        <translation>Server odmítl změnu ({summary}): {reason}</translation>
    </message>
</context>
<context>
    <name>_CustomerCard</name>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="215"/>
        <source>Czech</source>
        <translation>Čeština</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="215"/>
        <source>English</source>
        <translation>Angličtina</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="215"/>
        <source>Slovak</source>
        <translation>Slovenština</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="216"/>
        <source>German</source>
        <translation>Němčina</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="216"/>
        <source>Polish</source>
        <translation>Polština</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="234"/>
        <source>Updating…</source>
        <translation>Aktualizace…</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="249"/>
        <source>Audit trail…</source>
        <translation>Auditní stopa…</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="251"/>
        <source>Who read or changed this customer&apos;s data</source>
        <translation>Kdo četl nebo měnil údaje tohoto zákazníka</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="276"/>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="276"/>
        <source>Phone</source>
        <translation>Telefon</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="277"/>
        <source>Billing address</source>
        <translation>Fakturační adresa</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="277"/>
        <source>Language</source>
        <translation>Jazyk</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="278"/>
        <source>Customer since</source>
        <translation>Zákazníkem od</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="298"/>
        <source>Edit…</source>
        <translation>Upravit…</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="300"/>
        <source>Change the selected contact person&apos;s name, role, e-mail or phone</source>
        <translation>Změnit jméno, roli, e-mail nebo telefon vybrané kontaktní osoby</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="312"/>
        <source>No contact persons besides the customer.</source>
        <translation>Kromě zákazníka žádné kontaktní osoby.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="363"/>
        <source>Erased — kept for legal reasons</source>
        <translation>Vymazáno — uchováno ze zákonných důvodů</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="365"/>
        <source>An erasure on {date} left only what the law obliges keeping; it is restricted.</source>
        <translation>Výmaz dne {date} ponechal jen to, co zákon ukládá uchovávat; jeho zpracování je omezeno.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="368"/>
        <source>Restricted (Art. 18)</source>
        <translation>Omezeno (čl. 18)</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="370"/>
        <source>Processing restricted since {date}: only storage. Hotline and technicians do not see this customer.</source>
        <translation>Zpracování omezeno od {date}: pouze uložení. Hotline ani technici tohoto zákazníka nevidí.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="377"/>
        <source>IČO {ico}</source>
        <translation>IČO {ico}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="379"/>
        <source>DIČ {dic}</source>
        <translation>DIČ {dic}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="392"/>
        <source>Contacts · {n}</source>
        <translation>Kontakty · {n}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="399"/>
        <source>Devices · {n}</source>
        <translation>Zařízení · {n}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="400"/>
        <source>Tickets · {open} open of {n}</source>
        <translation>Tikety · otevřené {open} z {n}</translation>
    </message>
</context>
<context>
    <name>_HitDelegate</name>
    <message>
        <location filename="../../ema_desktop/views/search_palette.py" line="39"/>
        <source>Customer</source>
        <translation>Zákazník</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/search_palette.py" line="39"/>
        <source>Station</source>
        <translation>Stanice</translation>
    </message>
</context>
<context>
    <name>_Legend</name>
    <message>
        <location filename="../../ema_desktop/views/device_map.py" line="661"/>
        <source>Stations</source>
        <translation>Stanice</translation>
    </message>
</context>
<context>
    <name>_RequestDetail</name>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="181"/>
        <source>Right</source>
        <translation>Právo</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="181"/>
        <source>Subject</source>
        <translation>Subjekt údajů</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="181"/>
        <source>Requester</source>
        <translation>Žadatel</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="184"/>
        <source>Identity check</source>
        <translation>Ověření totožnosti</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="182"/>
        <source>Channel</source>
        <translation>Kanál</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="182"/>
        <source>Received</source>
        <translation>Přijato</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="183"/>
        <source>State</source>
        <translation>Stav</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="183"/>
        <source>Due</source>
        <translation>Lhůta</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="183"/>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="277"/>
        <source>Extension notice by</source>
        <translation>Oznámit prodloužení do</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="184"/>
        <source>Extended</source>
        <translation>Prodloužení</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="210"/>
        <source>Internal note</source>
        <translation>Interní poznámka</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="214"/>
        <source>A note for the request&apos;s history (the subject does not see it)</source>
        <translation>Poznámka do historie žádosti (subjekt údajů ji neuvidí)</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="218"/>
        <source>Add note</source>
        <translation>Přidat poznámku</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="232"/>
        <source>History</source>
        <translation>Historie</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="274"/>
        <source>Originally due</source>
        <translation>Původní lhůta</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="282"/>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="316"/>
        <source>not yet checked</source>
        <translation>dosud neověřeno</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="309"/>
        <source>by {who}, {time}</source>
        <translation>ověřil(a) {who}, {time}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="313"/>
        <source>proof asked for {time}; waiting for the subject</source>
        <translation>prokázání vyžádáno {time}; čeká se na subjekt údajů</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="319"/>
        <source>{reason} (subject told {time})</source>
        <translation>{reason} (subjekt údajů informován {time})</translation>
    </message>
</context>
<context>
    <name>_ZoomControls</name>
    <message>
        <location filename="../../ema_desktop/views/device_map.py" line="604"/>
        <source>Zoom in (+)</source>
        <translation>Přiblížit (+)</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/device_map.py" line="605"/>
        <source>Zoom out (-)</source>
        <translation>Oddálit (-)</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/device_map.py" line="606"/>
        <source>Show all of Czechia (0)</source>
        <translation>Zobrazit celé Česko (0)</translation>
    </message>
</context>
</TS>
