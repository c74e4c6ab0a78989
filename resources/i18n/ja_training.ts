<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja">
<context>
    <name>TimelineBar</name>
    <message>
        <source>&amp;Previous snapshot</source>
        <translation>前のスナップショット(&amp;P)</translation>
    </message>
    <message>
        <source>Go to the previous snapshot</source>
        <translation>前のスナップショットへ移動</translation>
    </message>
    <message>
        <source>&amp;Next snapshot</source>
        <translation>次のスナップショット(&amp;N)</translation>
    </message>
    <message>
        <source>Go to the next snapshot</source>
        <translation>次のスナップショットへ移動</translation>
    </message>
    <message>
        <source>&amp;First step</source>
        <translation>最初のステップ(&amp;F)</translation>
    </message>
    <message>
        <source>Go to the first step (the initial parameters, or where a fork begins)</source>
        <translation>最初のステップ（パラメータの初期値、または続きの学習が始まる所）へ移動</translation>
    </message>
    <message>
        <source>&amp;Follow the newest step</source>
        <translation>最新のステップに追従(&amp;L)</translation>
    </message>
    <message>
        <source>Go to the newest step and stay there</source>
        <translation>最新のステップへ移動してそこに留まる</translation>
    </message>
    <message>
        <source>Play / &amp;pause</source>
        <translation>再生/一時停止(&amp;A)</translation>
    </message>
    <message>
        <source>Play the run from snapshot to snapshot, or pause</source>
        <translation>学習をスナップショットごとに再生、または一時停止</translation>
    </message>
</context>
<context>
    <name>problems</name>
    <message>
        <source>a run has {problem}</source>
        <translation>{problem}</translation>
    </message>
</context>
</TS>
