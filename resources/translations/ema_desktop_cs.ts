<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="cs_CZ">
<context>
    <name>ConnectionIndicator</name>
    <message>
        <location filename="../../ema_desktop/views/status.py" line="53"/>
        <source>Live updates: {state} since {since}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ContactsModel</name>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="411"/>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="411"/>
        <source>Role</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="411"/>
        <source>E-mail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="411"/>
        <source>Phone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="412"/>
        <source>General</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="412"/>
        <source>Billing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="413"/>
        <source>Technical</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CustomerDevicesModel</name>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="435"/>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="435"/>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="435"/>
        <source>Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="435"/>
        <source>OCPP identity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="436"/>
        <source>Serial</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="436"/>
        <source>Site</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="476"/>
        <source>Serial: {serial}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="478"/>
        <source>OCPP identity: {identity}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="480"/>
        <source>Firmware: {firmware}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="482"/>
        <source>Connector {no}: {standard}, {power:g} kW</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="485"/>
        <source>Last seen {time}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CustomerSearchModel</name>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="159"/>
        <source>Customer no.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="159"/>
        <source>Name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="159"/>
        <source>Kind</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="159"/>
        <source>Region</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="160"/>
        <source>Phone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="160"/>
        <source>E-mail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="160"/>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CustomerTicketsModel</name>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="497"/>
        <source>Number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="497"/>
        <source>Title</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="497"/>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="497"/>
        <source>Priority</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="498"/>
        <source>Due</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="499"/>
        <source>New</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="499"/>
        <source>Open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="499"/>
        <source>In progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="500"/>
        <source>Waiting for customer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="500"/>
        <source>Resolved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="501"/>
        <source>Closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="502"/>
        <source>Low</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="502"/>
        <source>Normal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="502"/>
        <source>High</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="503"/>
        <source>Critical</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="542"/>
        <source>Overdue</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CustomersPane</name>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="368"/>
        <source>Name, phone, e-mail, customer no., IČO, serial or OCPP id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="389"/>
        <location filename="../../ema_desktop/views/customers_pane.py" line="556"/>
        <source>Select a customer to see their contacts, devices and tickets.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="491"/>
        <source>Search failed: {message}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="497"/>
        <source>Searching…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="499"/>
        <source>{total} customers, first {shown} by name</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="500"/>
        <source>{total} customers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="502"/>
        <source>No customer found for “{query}”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="504"/>
        <source>{total} found for “{query}”, showing the first {shown}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="507"/>
        <source>{total} found for “{query}”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="509"/>
        <source>  ·  searching…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="544"/>
        <location filename="../../ema_desktop/views/customers_pane.py" line="547"/>
        <source>Could not load the customer: {message}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="553"/>
        <source>Loading the customer…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ema_desktop/views/main_window.py" line="53"/>
        <source>EMA Console — {server}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/main_window.py" line="143"/>
        <source>&amp;Console</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/main_window.py" line="144"/>
        <source>Find customer or station…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/main_window.py" line="151"/>
        <source>Sign out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/main_window.py" line="154"/>
        <source>Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/main_window.py" line="159"/>
        <source>&amp;View</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/main_window.py" line="166"/>
        <source>Reset layout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/main_window.py" line="170"/>
        <source>&amp;Help</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/main_window.py" line="171"/>
        <source>About EMA Console</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PrivacyPane</name>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="192"/>
        <source>Open only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="194"/>
        <source>Hide completed and refused requests</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="234"/>
        <source>Select a request to see its details.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="313"/>
        <source>Loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="317"/>
        <source>Could not load the requests: {message}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="336"/>
        <source>Privacy requests</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="341"/>
        <source>{total} requests · {open} open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="344"/>
        <source>{n} overdue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="347"/>
        <source>{n} due within {days} days</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PrivacyRequestModel</name>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="96"/>
        <source>Number</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="96"/>
        <source>Right</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="96"/>
        <source>Subject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="96"/>
        <source>Requester</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="97"/>
        <source>Channel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="97"/>
        <source>Received</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="97"/>
        <source>Due</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="97"/>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="223"/>
        <source>the subject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="233"/>
        <source>overdue {days} d</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="233"/>
        <source>overdue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="235"/>
        <source>today</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="237"/>
        <source>tomorrow</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="238"/>
        <source>in {days} d</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="246"/>
        <source>Due {time}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="248"/>
        <source>Extended; originally due {time}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="250"/>
        <source>Extension must be notified by {time}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SearchPalette</name>
    <message>
        <location filename="../../ema_desktop/views/search_palette.py" line="82"/>
        <source>Find a customer or station: name, phone, e-mail, customer no., IČO, serial, OCPP id</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/search_palette.py" line="91"/>
        <location filename="../../ema_desktop/views/search_palette.py" line="127"/>
        <source>Type at least two characters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/search_palette.py" line="129"/>
        <source>Nothing found for “{query}”.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/search_palette.py" line="131"/>
        <source>{count} found · Enter opens · Esc closes</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SignInDialog</name>
    <message>
        <location filename="../../ema_desktop/views/sign_in.py" line="36"/>
        <source>Sign in — EMA Console</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/sign_in.py" line="42"/>
        <source>EMA Console</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/sign_in.py" line="51"/>
        <source>SECTRON operator console</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/sign_in.py" line="60"/>
        <source>e.g. jana.novakova</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/sign_in.py" line="64"/>
        <source>6 digits from the authenticator app</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/sign_in.py" line="66"/>
        <source>Server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/sign_in.py" line="67"/>
        <source>Username</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/sign_in.py" line="68"/>
        <source>Password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/sign_in.py" line="69"/>
        <source>One-time code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/sign_in.py" line="82"/>
        <source>Sign in</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/sign_in.py" line="95"/>
        <source>server</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/sign_in.py" line="95"/>
        <source>username</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/sign_in.py" line="96"/>
        <source>password</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/sign_in.py" line="98"/>
        <source>Fill in the {fields}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/sign_in.py" line="107"/>
        <source>Signing in…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TicketEditor</name>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="838"/>
        <source>A ticket that is {current} cannot move to {wanted}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="856"/>
        <source>Write the comment first: an empty comment is not sent.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="891"/>
        <source>Someone else changed ticket {number} in the meantime, so your change was not saved. The ticket has been reloaded: check it and try again.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TicketQueueModel</name>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="382"/>
        <source>Unassigned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="384"/>
        <source>Me</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="386"/>
        <source>Former colleague</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/tickets.py" line="640"/>
        <source>Updated {when} · created {created}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TicketsPane</name>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="268"/>
        <source>Dismiss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="296"/>
        <source>Filter by number or title</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="302"/>
        <source>All priorities</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="309"/>
        <source>All kinds</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="381"/>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="679"/>
        <source>Select a ticket in the queue to see its details and history.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="455"/>
        <source>Customer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="456"/>
        <source>Station</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="457"/>
        <source>Deadline</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="458"/>
        <source>Owner</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="459"/>
        <source>Move to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="475"/>
        <source>History</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="503"/>
        <source>Public reply (the customer sees it)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="508"/>
        <source>Send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="510"/>
        <source>Send (Ctrl+Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="623"/>
        <source>Loading tickets…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="632"/>
        <source>{shown} of {total} tickets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="634"/>
        <source>1 ticket</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="636"/>
        <source>{n} tickets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="637"/>
        <source>{n} overdue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="658"/>
        <source>Working…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="681"/>
        <source>Loading the ticket…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="700"/>
        <source>No description.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="730"/>
        <source>connector {n}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="744"/>
        <source>Move {number} to “{state}”</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="797"/>
        <source>EMA (automatic)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="811"/>
        <source>Public reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="811"/>
        <source>Internal note</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="819"/>
        <source>Opened the ticket</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="823"/>
        <source>Attached {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="823"/>
        <source>a file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="832"/>
        <source>Edited the description</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="834"/>
        <source>Linked to another customer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="835"/>
        <source>Linked to another station</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="836"/>
        <source>{field} removed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="876"/>
        <source>Public reply — the customer will read this…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="877"/>
        <source>Send reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="879"/>
        <source>Internal note — only SECTRON staff see it…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/tickets_pane.py" line="880"/>
        <source>Add note</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Workspace</name>
    <message>
        <location filename="../../ema_desktop/workspace.py" line="79"/>
        <source>Customers</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/workspace.py" line="82"/>
        <source>Tickets</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/workspace.py" line="85"/>
        <source>Privacy requests</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/workspace.py" line="87"/>
        <source>Device map</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/workspace.py" line="88"/>
        <source>Live telemetry</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>_CustomerCard</name>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="156"/>
        <source>Czech</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="156"/>
        <source>English</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="156"/>
        <source>Slovak</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="157"/>
        <source>German</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="157"/>
        <source>Polish</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="175"/>
        <source>Updating…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="203"/>
        <source>E-mail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="203"/>
        <source>Phone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="204"/>
        <source>Billing address</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="204"/>
        <source>Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="205"/>
        <source>Customer since</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="229"/>
        <source>No contact persons besides the customer.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="283"/>
        <source>IČO {ico}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="285"/>
        <source>DIČ {dic}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="298"/>
        <source>Contacts · {n}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="304"/>
        <source>Devices · {n}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/customers_pane.py" line="305"/>
        <source>Tickets · {open} open of {n}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>_RequestDetail</name>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="100"/>
        <source>Right</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="100"/>
        <source>Subject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="100"/>
        <source>Requester</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="101"/>
        <source>Identity check</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="102"/>
        <source>Channel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="102"/>
        <source>Received</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="102"/>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="103"/>
        <source>Due</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="103"/>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="146"/>
        <source>Extension notice by</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="143"/>
        <source>Originally due</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/privacy_pane.py" line="151"/>
        <source>not yet checked</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>box</name>
    <message>
        <location filename="../../ema_desktop/views/about.py" line="16"/>
        <source>About EMA Console</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/views/about.py" line="19"/>
        <source>The operator console of SECTRON&apos;s ElectroMobility Administrator: customers, stations live, tickets and data-protection requests.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>context</name>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="327"/>
        <source>Consumer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="327"/>
        <source>Business</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="328"/>
        <source>Municipality</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="328"/>
        <source>Institution</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="332"/>
        <source>Active</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="332"/>
        <source>Restricted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="333"/>
        <source>Blocked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="333"/>
        <source>Closed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="337"/>
        <source>Charging station</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="337"/>
        <source>Wallbox</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="338"/>
        <source>Router</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="338"/>
        <source>Modem</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="338"/>
        <source>SIM</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/customers.py" line="339"/>
        <source>Meter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="325"/>
        <source>Access</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="325"/>
        <source>Rectification</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="326"/>
        <source>Erasure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="326"/>
        <source>Restriction</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="327"/>
        <source>Portability</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="327"/>
        <source>Objection</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="328"/>
        <source>Consent withdrawal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="328"/>
        <source>Complaint</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="332"/>
        <source>Received</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="332"/>
        <source>Verifying identity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="333"/>
        <source>In progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="333"/>
        <source>Extended</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="334"/>
        <source>Completed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="334"/>
        <source>Refused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="338"/>
        <source>E-mail</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="338"/>
        <source>Letter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="338"/>
        <source>Phone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="339"/>
        <source>In the app</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="339"/>
        <source>In person</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="343"/>
        <source>subject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="343"/>
        <source>app user</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="343"/>
        <source>guardian</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../../ema_desktop/models/privacy.py" line="344"/>
        <source>representative</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>self.app</name>
    <message>
        <location filename="../../ema_desktop/console.py" line="57"/>
        <source>Starting the EMA demo…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
