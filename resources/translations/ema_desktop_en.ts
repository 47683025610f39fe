<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>Console</name>
    <message numerus="yes">
        <location filename="../../ema_desktop/console.py" line="288"/>
        <source>%n change(s) made here have not reached the server yet; deleting the local data discards them.</source>
        <translation>
            <numerusform>%n change made here has not reached the server yet; deleting the local data discards it.</numerusform>
            <numerusform>%n changes made here have not reached the server yet; deleting the local data discards them.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ema_desktop/console.py" line="290"/>
        <source>Delete, discarding %n change(s)</source>
        <translation>
            <numerusform>Delete, discarding %n change</numerusform>
            <numerusform>Delete, discarding %n changes</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ema_desktop/console.py" line="308"/>
        <source>Your session was ended on the server, so the local data on this computer will be deleted. %n change(s) made here have not reached the server yet.</source>
        <translation>
            <numerusform>Your session was ended on the server, so the local data on this computer will be deleted. %n change made here has not reached the server yet.</numerusform>
            <numerusform>Your session was ended on the server, so the local data on this computer will be deleted. %n changes made here have not reached the server yet.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PrepareForFieldDialog</name>
    <message numerus="yes">
        <location filename="../../ema_desktop/views/field_dialog.py" line="375"/>
        <source>%Ln customer</source>
        <translation>
            <numerusform>%Ln customer</numerusform>
            <numerusform>%Ln customers</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ema_desktop/views/field_dialog.py" line="375"/>
        <source>%Ln customers</source>
        <translation>
            <numerusform>%Ln customer</numerusform>
            <numerusform>%Ln customers</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ema_desktop/views/field_dialog.py" line="377"/>
        <source>%Ln charging station</source>
        <translation>
            <numerusform>%Ln charging station</numerusform>
            <numerusform>%Ln charging stations</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ema_desktop/views/field_dialog.py" line="377"/>
        <source>%Ln charging stations</source>
        <translation>
            <numerusform>%Ln charging station</numerusform>
            <numerusform>%Ln charging stations</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ema_desktop/views/field_dialog.py" line="379"/>
        <source>%Ln other device</source>
        <translation>
            <numerusform>%Ln other device</numerusform>
            <numerusform>%Ln other devices</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ema_desktop/views/field_dialog.py" line="379"/>
        <source>%Ln other devices</source>
        <translation>
            <numerusform>%Ln other device</numerusform>
            <numerusform>%Ln other devices</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ema_desktop/views/field_dialog.py" line="381"/>
        <source>%Ln open ticket</source>
        <translation>
            <numerusform>%Ln open ticket</numerusform>
            <numerusform>%Ln open tickets</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ema_desktop/views/field_dialog.py" line="381"/>
        <source>%Ln open tickets</source>
        <translation>
            <numerusform>%Ln open ticket</numerusform>
            <numerusform>%Ln open tickets</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ema_desktop/views/field_dialog.py" line="383"/>
        <source>%Ln attachment</source>
        <translation>
            <numerusform>%Ln attachment</numerusform>
            <numerusform>%Ln attachments</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ema_desktop/views/field_dialog.py" line="383"/>
        <source>%Ln attachments</source>
        <translation>
            <numerusform>%Ln attachment</numerusform>
            <numerusform>%Ln attachments</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ema_desktop/views/field_dialog.py" line="385"/>
        <source>%Ln point</source>
        <translation>
            <numerusform>%Ln point</numerusform>
            <numerusform>%Ln points</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ema_desktop/views/field_dialog.py" line="385"/>
        <source>%Ln points</source>
        <translation>
            <numerusform>%Ln point</numerusform>
            <numerusform>%Ln points</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ema_desktop/views/field_dialog.py" line="387"/>
        <source>%Ln item</source>
        <translation>
            <numerusform>%Ln item</numerusform>
            <numerusform>%Ln items</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ema_desktop/views/field_dialog.py" line="387"/>
        <source>%Ln items</source>
        <translation>
            <numerusform>%Ln item</numerusform>
            <numerusform>%Ln items</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ema_desktop/views/field_dialog.py" line="389"/>
        <source>telemetry of %Ln station</source>
        <translation>
            <numerusform>telemetry of %Ln station</numerusform>
            <numerusform>telemetry of %Ln stations</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ema_desktop/views/field_dialog.py" line="390"/>
        <source>telemetry of %Ln stations</source>
        <translation>
            <numerusform>telemetry of %Ln station</numerusform>
            <numerusform>telemetry of %Ln stations</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RetentionCounts</name>
    <message numerus="yes">
        <location filename="../../ema_desktop/models/retention.py" line="104"/>
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n day</numerusform>
            <numerusform>%n days</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ema_desktop/models/retention.py" line="107"/>
        <source>%n month(s)</source>
        <translation>
            <numerusform>%n month</numerusform>
            <numerusform>%n months</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ema_desktop/models/retention.py" line="110"/>
        <source>%n year(s)</source>
        <translation>
            <numerusform>%n year</numerusform>
            <numerusform>%n years</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>SyncStatus</name>
    <message numerus="yes">
        <location filename="../../ema_desktop/views/sync_status.py" line="76"/>
        <source>%n conflict(s) to resolve</source>
        <translation>
            <numerusform>%n conflict to resolve</numerusform>
            <numerusform>%n conflicts to resolve</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ema_desktop/views/sync_status.py" line="79"/>
        <source>%n change(s) refused</source>
        <translation>
            <numerusform>%n change refused</numerusform>
            <numerusform>%n changes refused</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../ema_desktop/views/sync_status.py" line="82"/>
        <source>%n change(s) waiting to be sent</source>
        <translation>
            <numerusform>%n change waiting to be sent</numerusform>
            <numerusform>%n changes waiting to be sent</numerusform>
        </translation>
    </message>
</context>
</TS>
