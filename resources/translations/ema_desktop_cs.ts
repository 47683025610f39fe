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
    <name>ConnectionIndicator</name>
    <message>
        <location filename="../../ema_desktop/views/status.py" line="60"/>
        <source>Live updates: {state} since {since}</source>
        <translation>Živé aktualizace: {state} od {since}</translation>
    </message>
</context>
<context>
    <name>ConnectionState</name>
    <message>
        <location filename="../../ema_desktop/views/status.py" line="21"/>
        <source>Connecting…</source>
        <translation>Připojování…</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/status.py" line="22"/>
        <source>Online</source>
        <translation>Online</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/status.py" line="23"/>
        <source>Reconnecting…</source>
        <translation>Obnovování spojení…</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/status.py" line="24"/>
        <source>Offline</source>
        <translation>Offline</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/status.py" line="25"/>
        <source>Signed out</source>
        <translation>Odhlášeno</translation>
    </message>
</context>
<context>
    <name>Console</name>
    <message>
        <location filename="../../ema_desktop/console.py" line="23"/>
        <source>No OS keyring is available: your sign-in is kept in memory only, so you will sign in again next time.</source>
        <translation>Úložiště hesel operačního systému není k dispozici: přihlášení se uchovává jen v paměti, příště se proto budete přihlašovat znovu.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/console.py" line="28"/>
        <source>Your session has ended. Sign in again.</source>
        <translation>Vaše relace skončila. Přihlaste se znovu.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/console.py" line="61"/>
        <source>Starting the EMA demo…</source>
        <translation>Spouští se ukázka EMA…</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/console.py" line="62"/>
        <source>EMA Console</source>
        <translation>Konzole EMA</translation>
    </message>
</context>
<context>
    <name>ContactsModel</name>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="415"/>
        <source>Name</source>
        <translation>Jméno</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="415"/>
        <source>Role</source>
        <translation>Role</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="415"/>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="415"/>
        <source>Phone</source>
        <translation>Telefon</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="416"/>
        <source>General</source>
        <translation>Obecný</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="416"/>
        <source>Billing</source>
        <translation>Fakturační</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="417"/>
        <source>Technical</source>
        <translation>Technický</translation>
    </message>
</context>
<context>
    <name>CustomerDevicesModel</name>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="439"/>
        <source>Status</source>
        <translation>Stav</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="439"/>
        <source>Kind</source>
        <translation>Druh</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="439"/>
        <source>Model</source>
        <translation>Model</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="439"/>
        <source>OCPP identity</source>
        <translation>OCPP ID</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="440"/>
        <source>Serial</source>
        <translation>Sériové číslo</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="440"/>
        <source>Site</source>
        <translation>Lokalita</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="480"/>
        <source>Serial: {serial}</source>
        <translation>Sériové číslo: {serial}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="482"/>
        <source>OCPP identity: {identity}</source>
        <translation>OCPP ID: {identity}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="484"/>
        <source>Firmware: {firmware}</source>
        <translation>Firmware: {firmware}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="486"/>
        <source>Connector {no}: {standard}, {power:g} kW</source>
        <translation>Konektor {no}: {standard}, {power:g} kW</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="489"/>
        <source>Last seen {time}</source>
        <translation>Naposledy aktivní {time}</translation>
    </message>
</context>
<context>
    <name>CustomerKind</name>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="62"/>
        <source>Consumer</source>
        <translation>Spotřebitel</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="63"/>
        <source>Business</source>
        <translation>Podnikatel</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="64"/>
        <source>Municipality</source>
        <translation>Obec</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="65"/>
        <source>Institution</source>
        <translation>Instituce</translation>
    </message>
</context>
<context>
    <name>CustomerSearchModel</name>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="171"/>
        <source>Customer no.</source>
        <translation>Č. zákazníka</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="171"/>
        <source>Name</source>
        <translation>Jméno</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="171"/>
        <source>Kind</source>
        <translation>Druh</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="171"/>
        <source>Region</source>
        <translation>Kraj</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="172"/>
        <source>Phone</source>
        <translation>Telefon</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="172"/>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="172"/>
        <source>Status</source>
        <translation>Stav</translation>
    </message>
</context>
<context>
    <name>CustomerStatus</name>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="68"/>
        <source>Active</source>
        <translation>Aktivní</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="69"/>
        <source>Restricted</source>
        <translation>Omezený</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="70"/>
        <source>Blocked</source>
        <translation>Blokovaný</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="71"/>
        <source>Closed</source>
        <translation>Uzavřený</translation>
    </message>
</context>
<context>
    <name>CustomerTicketsModel</name>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="501"/>
        <source>Number</source>
        <translation>Číslo</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="501"/>
        <source>Title</source>
        <translation>Název</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="501"/>
        <source>State</source>
        <translation>Stav</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="501"/>
        <source>Priority</source>
        <translation>Priorita</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="502"/>
        <source>Due</source>
        <translation>Termín</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="541"/>
        <source>Overdue</source>
        <translation>Po splatnosti</translation>
    </message>
</context>
<context>
    <name>CustomersPane</name>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="366"/>
        <source>Name, phone, e-mail, customer no., IČO, serial or OCPP id</source>
        <translation>Jméno, telefon, e-mail, č. zákazníka, IČO, sériové číslo nebo OCPP ID</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="391"/>
        <location filename="../../ema_desktop/views/customers_pane.py" line="558"/>
        <source>Select a customer to see their contacts, devices and tickets.</source>
        <translation>Vyberte zákazníka a zobrazí se jeho kontakty, zařízení a tikety.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="493"/>
        <source>Search failed: {message}</source>
        <translation>Hledání selhalo: {message}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="499"/>
        <source>Searching…</source>
        <translation>Hledání…</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="501"/>
        <source>{total} customers, first {shown} by name</source>
        <translation>Zákazníků: {total}, prvních {shown} podle jména</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="502"/>
        <source>{total} customers</source>
        <translation>Zákazníků: {total}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="504"/>
        <source>No customer found for “{query}”</source>
        <translation>Pro „{query}“ nebyl nalezen žádný zákazník</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="506"/>
        <source>{total} found for “{query}”, showing the first {shown}</source>
        <translation>Nalezeno pro „{query}“: {total}, zobrazeno prvních {shown}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="509"/>
        <source>{total} found for “{query}”</source>
        <translation>Nalezeno pro „{query}“: {total}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="511"/>
        <source>  ·  searching…</source>
        <translation>  ·  hledání…</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="546"/>
        <location filename="../../ema_desktop/views/customers_pane.py" line="549"/>
        <source>Could not load the customer: {message}</source>
        <translation>Zákazníka se nepodařilo načíst: {message}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="555"/>
        <source>Loading the customer…</source>
        <translation>Načítání zákazníka…</translation>
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
    <name>IdentityCheck</name>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="359"/>
        <source>Signed in app account</source>
        <translation>Přihlášený účet v aplikaci</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="360"/>
        <source>Reply from registered email</source>
        <translation>Odpověď z registrovaného e-mailu</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="361"/>
        <source>Rfid card and last session</source>
        <translation>Karta RFID a poslední nabíjení</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="362"/>
        <source>Id card in person</source>
        <translation>Občanský průkaz osobně</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="363"/>
        <source>Data box message</source>
        <translation>Zpráva datovou schránkou</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ema_desktop/views/main_window.py" line="53"/>
        <source>EMA Console — {server}</source>
        <translation>Konzole EMA — {server}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/main_window.py" line="143"/>
        <source>&amp;Console</source>
        <translation>&amp;Konzole</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/main_window.py" line="144"/>
        <source>Find customer or station…</source>
        <translation>Najít zákazníka nebo stanici…</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/main_window.py" line="151"/>
        <source>Sign out</source>
        <translation>Odhlásit se</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/main_window.py" line="154"/>
        <source>Quit</source>
        <translation>Ukončit</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/main_window.py" line="159"/>
        <source>&amp;View</source>
        <translation>&amp;Zobrazení</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/main_window.py" line="166"/>
        <source>Reset layout</source>
        <translation>Obnovit výchozí rozložení</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/main_window.py" line="170"/>
        <source>&amp;Help</source>
        <translation>&amp;Nápověda</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/main_window.py" line="171"/>
        <source>About EMA Console</source>
        <translation>O konzoli EMA</translation>
    </message>
</context>
<context>
    <name>OperatorRole</name>
    <message>
        <location filename="../../ema_desktop/views/status.py" line="12"/>
        <source>Hotline</source>
        <translation>Hotline</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/status.py" line="13"/>
        <source>Technician</source>
        <translation>Technik</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/status.py" line="14"/>
        <source>Privacy officer</source>
        <translation>Pověřenec GDPR</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/status.py" line="15"/>
        <source>Administrator</source>
        <translation>Administrátor</translation>
    </message>
</context>
<context>
    <name>PrivacyChannel</name>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="346"/>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="347"/>
        <source>Letter</source>
        <translation>Dopis</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="348"/>
        <source>Phone</source>
        <translation>Telefon</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="349"/>
        <source>In the app</source>
        <translation>V aplikaci</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="350"/>
        <source>In person</source>
        <translation>Osobně</translation>
    </message>
</context>
<context>
    <name>PrivacyPane</name>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="200"/>
        <source>Open only</source>
        <translation>Jen otevřené</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="202"/>
        <source>Hide completed and refused requests</source>
        <translation>Skrýt vyřízené a zamítnuté žádosti</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="247"/>
        <source>Select a request to see its details.</source>
        <translation>Vyberte žádost a zobrazí se její podrobnosti.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="326"/>
        <source>Loading…</source>
        <translation>Načítání…</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="330"/>
        <source>Could not load the requests: {message}</source>
        <translation>Žádosti se nepodařilo načíst: {message}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="349"/>
        <source>Privacy requests</source>
        <translation>Žádosti GDPR</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="354"/>
        <source>{total} requests · {open} open</source>
        <translation>Žádostí: {total} · otevřených: {open}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="357"/>
        <source>{n} overdue</source>
        <translation>Po lhůtě: {n}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="360"/>
        <source>{n} due within {days} days</source>
        <translation>Lhůta do {days} dnů: {n}</translation>
    </message>
</context>
<context>
    <name>PrivacyRelation</name>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="353"/>
        <source>subject</source>
        <translation>subjekt údajů</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="354"/>
        <source>app user</source>
        <translation>uživatel aplikace</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="355"/>
        <source>guardian</source>
        <translation>zákonný zástupce</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="356"/>
        <source>representative</source>
        <translation>zmocněnec</translation>
    </message>
</context>
<context>
    <name>PrivacyRequestModel</name>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="97"/>
        <source>Number</source>
        <translation>Číslo</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="97"/>
        <source>Right</source>
        <translation>Právo</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="97"/>
        <source>Subject</source>
        <translation>Subjekt údajů</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="97"/>
        <source>Requester</source>
        <translation>Žadatel</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="98"/>
        <source>Channel</source>
        <translation>Kanál</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="98"/>
        <source>Received</source>
        <translation>Přijato</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="98"/>
        <source>Due</source>
        <translation>Lhůta</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="98"/>
        <source>State</source>
        <translation>Stav</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="226"/>
        <source>the subject</source>
        <translation>subjekt údajů</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="236"/>
        <source>overdue {days} d</source>
        <translation>po lhůtě {days} d</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="236"/>
        <source>overdue</source>
        <translation>po lhůtě</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="238"/>
        <source>today</source>
        <translation>dnes</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="240"/>
        <source>tomorrow</source>
        <translation>zítra</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="241"/>
        <source>in {days} d</source>
        <translation>za {days} d</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="249"/>
        <source>Due {time}</source>
        <translation>Lhůta {time}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="251"/>
        <source>Extended; originally due {time}</source>
        <translation>Prodlouženo; původní lhůta {time}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="253"/>
        <source>Extension must be notified by {time}</source>
        <translation>Prodloužení je nutné oznámit do {time}</translation>
    </message>
</context>
<context>
    <name>PrivacyRight</name>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="327"/>
        <source>Access</source>
        <translation>Přístup</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="328"/>
        <source>Rectification</source>
        <translation>Oprava</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="329"/>
        <source>Erasure</source>
        <translation>Výmaz</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="330"/>
        <source>Restriction</source>
        <translation>Omezení zpracování</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="331"/>
        <source>Portability</source>
        <translation>Přenositelnost</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="332"/>
        <source>Objection</source>
        <translation>Námitka</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="333"/>
        <source>Consent withdrawal</source>
        <translation>Odvolání souhlasu</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="334"/>
        <source>Complaint</source>
        <translation>Stížnost</translation>
    </message>
</context>
<context>
    <name>PrivacyState</name>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="338"/>
        <source>Received</source>
        <translation>Přijatá</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="339"/>
        <source>Verifying identity</source>
        <translation>Ověřování totožnosti</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="340"/>
        <source>In progress</source>
        <translation>Ve zpracování</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="341"/>
        <source>Extended</source>
        <translation>Prodloužená</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="342"/>
        <source>Completed</source>
        <translation>Vyřízená</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="343"/>
        <source>Refused</source>
        <translation>Zamítnutá</translation>
    </message>
</context>
<context>
    <name>SearchPalette</name>
    <message>
        <location filename="../../ema_desktop/views/search_palette.py" line="100"/>
        <source>Find a customer or station: name, phone, e-mail, customer no., IČO, serial, OCPP id</source>
        <translation>Najděte zákazníka nebo stanici: jméno, telefon, e-mail, č. zákazníka, IČO, sériové číslo, OCPP ID</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/search_palette.py" line="109"/>
        <location filename="../../ema_desktop/views/search_palette.py" line="145"/>
        <source>Type at least two characters.</source>
        <translation>Zadejte alespoň dva znaky.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/search_palette.py" line="147"/>
        <source>Nothing found for “{query}”.</source>
        <translation>Pro „{query}“ nebylo nic nalezeno.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/search_palette.py" line="149"/>
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
        <location filename="../../ema_desktop/views/telemetry_pane.py" line="54"/>
        <source>Select a station on the map or in a customer&apos;s detail to see its power and energy live.</source>
        <translation>Vyberte stanici na mapě nebo v detailu zákazníka a uvidíte její výkon a energii v reálném čase.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/telemetry_pane.py" line="256"/>
        <source>No station selected</source>
        <translation>Není vybrána žádná stanice</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/telemetry_pane.py" line="292"/>
        <location filename="../../ema_desktop/views/telemetry_pane.py" line="484"/>
        <source>Power now</source>
        <translation>Aktuální výkon</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/telemetry_pane.py" line="293"/>
        <location filename="../../ema_desktop/views/telemetry_pane.py" line="486"/>
        <source>Energy, last {window}</source>
        <translation>Energie za {window}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/telemetry_pane.py" line="319"/>
        <source>Show the last {window}</source>
        <translation>Zobrazit období {window}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/telemetry_pane.py" line="336"/>
        <source>Power (kW)</source>
        <translation>Výkon (kW)</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/telemetry_pane.py" line="338"/>
        <source>Energy delivered (kWh)</source>
        <translation>Dodaná energie (kWh)</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/telemetry_pane.py" line="459"/>
        <source>Loading power and energy of {station}…</source>
        <translation>Načítání výkonu a energie stanice {station}…</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/telemetry_pane.py" line="461"/>
        <source>Telemetry could not be loaded.</source>
        <translation>Telemetrii se nepodařilo načíst.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/telemetry_pane.py" line="463"/>
        <source>{station} reported no power or energy in the last {window}.</source>
        <translation>Stanice {station} za období {window} nehlásila žádný výkon ani energii.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/telemetry_pane.py" line="479"/>
        <source>Loading…</source>
        <translation>Načítání…</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/telemetry_pane.py" line="479"/>
        <source>Live power and energy</source>
        <translation>Výkon a energie v reálném čase</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/telemetry_pane.py" line="483"/>
        <source>Power at {time}</source>
        <translation>Výkon v {time}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/telemetry_pane.py" line="565"/>
        <source>Energy register {energy} at {time}</source>
        <translation>Stav elektroměru {energy} v {time}</translation>
    </message>
</context>
<context>
    <name>TicketColumn</name>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="265"/>
        <source>Number</source>
        <translation>Číslo</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="266"/>
        <source>Priority</source>
        <translation>Priorita</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="267"/>
        <source>State</source>
        <translation>Stav</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="268"/>
        <source>Title</source>
        <translation>Název</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="269"/>
        <source>Owner</source>
        <translation>Řešitel</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="270"/>
        <source>Due</source>
        <translation>Termín</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="271"/>
        <source>Updated</source>
        <translation>Změněno</translation>
    </message>
</context>
<context>
    <name>TicketEditor</name>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="834"/>
        <source>A ticket that is {current} cannot move to {wanted}.</source>
        <translation>Tiket ve stavu „{current}“ nelze přesunout do stavu „{wanted}“.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="852"/>
        <source>Write the comment first: an empty comment is not sent.</source>
        <translation>Nejprve napište komentář: prázdný komentář se neodesílá.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="887"/>
        <source>Someone else changed ticket {number} in the meantime, so your change was not saved. The ticket has been reloaded: check it and try again.</source>
        <translation>Tiket {number} mezitím změnil někdo jiný, proto vaše změna nebyla uložena. Tiket byl znovu načten: zkontrolujte ho a zkuste to znovu.</translation>
    </message>
</context>
<context>
    <name>TicketField</name>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="94"/>
        <source>Title</source>
        <translation>Název</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="95"/>
        <source>Description</source>
        <translation>Popis</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="96"/>
        <source>Priority</source>
        <translation>Priorita</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="97"/>
        <source>State</source>
        <translation>Stav</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="98"/>
        <source>Owner</source>
        <translation>Řešitel</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="99"/>
        <source>Customer</source>
        <translation>Zákazník</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="100"/>
        <source>Station</source>
        <translation>Stanice</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="101"/>
        <source>Connector</source>
        <translation>Konektor</translation>
    </message>
</context>
<context>
    <name>TicketKind</name>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="74"/>
        <source>Fault</source>
        <translation>Porucha</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="75"/>
        <source>Complaint</source>
        <translation>Reklamace</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="76"/>
        <source>Service request</source>
        <translation>Servisní požadavek</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="77"/>
        <source>Service event</source>
        <translation>Servisní událost</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="78"/>
        <source>Question</source>
        <translation>Dotaz</translation>
    </message>
</context>
<context>
    <name>TicketLabels</name>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="199"/>
        <source>{n} min</source>
        <translation>{n} min</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="201"/>
        <source>{n} h</source>
        <translation>{n} h</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="202"/>
        <source>{n} d</source>
        <translation>{n} d</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="225"/>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="357"/>
        <source>overdue {span}</source>
        <translation>po splatnosti {span}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="226"/>
        <location filename="../../ema_desktop/models/tickets.py" line="243"/>
        <source>in {span}</source>
        <translation>za {span}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="234"/>
        <source>Was due {when} — {state}, no deadline runs</source>
        <translation>Termín byl {when} — tiket je {state}, lhůta neběží</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="238"/>
        <source>Legal deadline {when}</source>
        <translation>Zákonná lhůta {when}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="239"/>
        <source>Due {when}</source>
        <translation>Termín {when}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="242"/>
        <source>overdue by {span}</source>
        <translation>po splatnosti {span}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="246"/>
        <source>legal deadline {when}</source>
        <translation>zákonná lhůta {when}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="904"/>
        <source>Unassigned</source>
        <translation>Nepřiřazeno</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="907"/>
        <source>{name} (me)</source>
        <translation>{name} (já)</translation>
    </message>
</context>
<context>
    <name>TicketPriority</name>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="81"/>
        <source>Critical</source>
        <translation>Kritická</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="82"/>
        <source>High</source>
        <translation>Vysoká</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="83"/>
        <source>Normal</source>
        <translation>Normální</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="84"/>
        <source>Low</source>
        <translation>Nízká</translation>
    </message>
</context>
<context>
    <name>TicketQueueModel</name>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="378"/>
        <source>Unassigned</source>
        <translation>Nepřiřazeno</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="380"/>
        <source>Me</source>
        <translation>Já</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="382"/>
        <source>Former colleague</source>
        <translation>Bývalý kolega</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="636"/>
        <source>Updated {when} · created {created}</source>
        <translation>Změněno {when} · vytvořeno {created}</translation>
    </message>
</context>
<context>
    <name>TicketScope</name>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="87"/>
        <source>Open work</source>
        <translation>Otevřené</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="88"/>
        <source>Mine</source>
        <translation>Moje</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="89"/>
        <source>Overdue</source>
        <translation>Po splatnosti</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="90"/>
        <source>Resolved</source>
        <translation>Vyřešené</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="91"/>
        <source>All</source>
        <translation>Vše</translation>
    </message>
</context>
<context>
    <name>TicketState</name>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="66"/>
        <source>New</source>
        <translation>Nový</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="67"/>
        <source>Open</source>
        <translation>Otevřený</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="68"/>
        <source>In progress</source>
        <translation>V řešení</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="69"/>
        <source>Waiting for customer</source>
        <translation>Čeká na zákazníka</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="70"/>
        <source>Resolved</source>
        <translation>Vyřešený</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="71"/>
        <source>Closed</source>
        <translation>Uzavřený</translation>
    </message>
</context>
<context>
    <name>TicketsPane</name>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="271"/>
        <source>Dismiss</source>
        <translation>Zavřít</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="299"/>
        <source>Filter by number or title</source>
        <translation>Filtrovat podle čísla nebo názvu</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="305"/>
        <source>All priorities</source>
        <translation>Všechny priority</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="312"/>
        <source>All kinds</source>
        <translation>Všechny druhy</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="403"/>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="701"/>
        <source>Select a ticket in the queue to see its details and history.</source>
        <translation>Vyberte tiket ve frontě a zobrazí se jeho podrobnosti a historie.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="477"/>
        <source>Customer</source>
        <translation>Zákazník</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="478"/>
        <source>Station</source>
        <translation>Stanice</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="479"/>
        <source>Deadline</source>
        <translation>Termín</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="480"/>
        <source>Owner</source>
        <translation>Řešitel</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="481"/>
        <source>Move to</source>
        <translation>Přesunout do</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="497"/>
        <source>History</source>
        <translation>Historie</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="525"/>
        <source>Public reply (the customer sees it)</source>
        <translation>Veřejná odpověď (uvidí ji zákazník)</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="530"/>
        <source>Send</source>
        <translation>Odeslat</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="532"/>
        <source>Send (Ctrl+Enter)</source>
        <translation>Odeslat (Ctrl+Enter)</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="645"/>
        <source>Loading tickets…</source>
        <translation>Načítání tiketů…</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="654"/>
        <source>{shown} of {total} tickets</source>
        <translation>Tikety: {shown} z {total}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="656"/>
        <source>1 ticket</source>
        <translation>1 tiket</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="658"/>
        <source>{n} tickets</source>
        <translation>Tiketů: {n}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="659"/>
        <source>{n} overdue</source>
        <translation>po splatnosti: {n}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="680"/>
        <source>Working…</source>
        <translation>Probíhá…</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="703"/>
        <source>Loading the ticket…</source>
        <translation>Načítání tiketu…</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="722"/>
        <source>No description.</source>
        <translation>Bez popisu.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="752"/>
        <source>connector {n}</source>
        <translation>konektor {n}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="766"/>
        <source>Move {number} to “{state}”</source>
        <translation>Přesunout {number} do stavu „{state}“</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="819"/>
        <source>EMA (automatic)</source>
        <translation>EMA (automaticky)</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="833"/>
        <source>Public reply</source>
        <translation>Veřejná odpověď</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="833"/>
        <source>Internal note</source>
        <translation>Interní poznámka</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="841"/>
        <source>Opened the ticket</source>
        <translation>Tiket založen</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="845"/>
        <source>Attached {name}</source>
        <translation>Příloha: {name}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="845"/>
        <source>a file</source>
        <translation>soubor</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="854"/>
        <source>Edited the description</source>
        <translation>Popis upraven</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="856"/>
        <source>Linked to another customer</source>
        <translation>Propojeno s jiným zákazníkem</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="857"/>
        <source>Linked to another station</source>
        <translation>Propojeno s jinou stanicí</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="858"/>
        <source>{field} removed</source>
        <translation>{field}: odebráno</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="898"/>
        <source>Public reply — the customer will read this…</source>
        <translation>Veřejná odpověď — zákazník si ji přečte…</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="899"/>
        <source>Send reply</source>
        <translation>Odeslat odpověď</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="901"/>
        <source>Internal note — only SECTRON staff see it…</source>
        <translation>Interní poznámka — uvidí ji jen zaměstnanci SECTRON…</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="902"/>
        <source>Add note</source>
        <translation>Přidat poznámku</translation>
    </message>
</context>
<context>
    <name>Workspace</name>
    <message>
        <location filename="../../ema_desktop/workspace.py" line="79"/>
        <source>Customers</source>
        <translation>Zákazníci</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/workspace.py" line="82"/>
        <source>Tickets</source>
        <translation>Tikety</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/workspace.py" line="85"/>
        <source>Privacy requests</source>
        <translation>Žádosti GDPR</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/workspace.py" line="87"/>
        <source>Device map</source>
        <translation>Mapa zařízení</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/workspace.py" line="88"/>
        <source>Live telemetry</source>
        <translation>Živá telemetrie</translation>
    </message>
</context>
<context>
    <name>_CustomerCard</name>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="154"/>
        <source>Czech</source>
        <translation>Čeština</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="154"/>
        <source>English</source>
        <translation>Angličtina</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="154"/>
        <source>Slovak</source>
        <translation>Slovenština</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="155"/>
        <source>German</source>
        <translation>Němčina</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="155"/>
        <source>Polish</source>
        <translation>Polština</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="173"/>
        <source>Updating…</source>
        <translation>Aktualizace…</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="201"/>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="201"/>
        <source>Phone</source>
        <translation>Telefon</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="202"/>
        <source>Billing address</source>
        <translation>Fakturační adresa</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="202"/>
        <source>Language</source>
        <translation>Jazyk</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="203"/>
        <source>Customer since</source>
        <translation>Zákazníkem od</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="227"/>
        <source>No contact persons besides the customer.</source>
        <translation>Kromě zákazníka žádné kontaktní osoby.</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="281"/>
        <source>IČO {ico}</source>
        <translation>IČO {ico}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="283"/>
        <source>DIČ {dic}</source>
        <translation>DIČ {dic}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="296"/>
        <source>Contacts · {n}</source>
        <translation>Kontakty · {n}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="302"/>
        <source>Devices · {n}</source>
        <translation>Zařízení · {n}</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="303"/>
        <source>Tickets · {open} open of {n}</source>
        <translation>Tikety · otevřené {open} z {n}</translation>
    </message>
</context>
<context>
    <name>_HitDelegate</name>
    <message>
        <location filename="../../ema_desktop/views/search_palette.py" line="40"/>
        <source>Customer</source>
        <translation>Zákazník</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/search_palette.py" line="40"/>
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
        <location filename="../../ema_desktop/views/privacy_pane.py" line="108"/>
        <source>Right</source>
        <translation>Právo</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="108"/>
        <source>Subject</source>
        <translation>Subjekt údajů</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="108"/>
        <source>Requester</source>
        <translation>Žadatel</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="109"/>
        <source>Identity check</source>
        <translation>Ověření totožnosti</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="110"/>
        <source>Channel</source>
        <translation>Kanál</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="110"/>
        <source>Received</source>
        <translation>Přijato</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="110"/>
        <source>State</source>
        <translation>Stav</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="111"/>
        <source>Due</source>
        <translation>Lhůta</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="111"/>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="154"/>
        <source>Extension notice by</source>
        <translation>Oznámit prodloužení do</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="151"/>
        <source>Originally due</source>
        <translation>Původní lhůta</translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="159"/>
        <source>not yet checked</source>
        <translation>dosud neověřeno</translation>
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
