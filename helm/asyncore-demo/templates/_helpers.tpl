{{/*
The chart's short name, nameOverride if given. It is the app.kubernetes.io/name label, so it must be a
valid label value: at most 63 characters, not ending in "-".
*/}}
{{- define "asyncore-demo.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
The name every object of a release starts with: "<release>-<chart>", or the release name alone when it
already contains the chart name (so `helm install asyncore-demo` does not give
"asyncore-demo-asyncore-demo"). Truncated to 63 characters because Service names are DNS labels.
*/}}
{{- define "asyncore-demo.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/*
Name of the internal management Service: the full name cut to 52 characters before "-management", so
that a long release name cannot cut the suffix off and collide with the protocol Service's name.
*/}}
{{- define "asyncore-demo.managementName" -}}
{{- printf "%s-management" (include "asyncore-demo.fullname" . | trunc 52 | trimSuffix "-") }}
{{- end }}

{{/*
"<chart>-<version>" for the helm.sh/chart label; a label value may not contain the "+" of SemVer build
metadata.
*/}}
{{- define "asyncore-demo.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/*
Labels of every object: the selector labels plus those that may change between upgrades (chart and app
version), which is why they are kept out of the selectors.
*/}}
{{- define "asyncore-demo.labels" -}}
helm.sh/chart: {{ include "asyncore-demo.chart" . }}
{{ include "asyncore-demo.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/*
Labels that pick this release's pods for the Services, the PodDisruptionBudget and the Deployment.
Only name and instance: a Deployment's selector cannot change after install.
*/}}
{{- define "asyncore-demo.selectorLabels" -}}
app.kubernetes.io/name: {{ include "asyncore-demo.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
Labels that pick the demo's pods and nothing else for the NetworkPolicies: the selector labels and the
component, which the `helm test` pod (component "test") does not share, so that no policy fences it.
*/}}
{{- define "asyncore-demo.serverLabels" -}}
{{ include "asyncore-demo.selectorLabels" . }}
app.kubernetes.io/component: server
{{- end }}

{{/*
What the TLS echo serves: "secret" (the operator's certificate from tls.secretName), "development" (the
image's development certificate, only with tls.allowDevelopmentCertificate), or nothing: then the pod,
the Service and the application.yml have no TLS port at all, so a key everybody has is never served by
accident.
*/}}
{{- define "asyncore-demo.tls" -}}
{{- if .Values.tls.secretName }}secret{{ else if .Values.tls.allowDevelopmentCertificate }}development{{ end }}
{{- end }}

{{/*
The service account the pods run as: the one this chart creates, or an existing one by name.
*/}}
{{- define "asyncore-demo.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "asyncore-demo.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/*
The image reference; the tag defaults to appVersion so that a chart release pins the service version.
*/}}
{{- define "asyncore-demo.image" -}}
{{- printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) }}
{{- end }}

{{/*
Channel settings as Spring Boot keys, one per line at the given indent: the values use camelCase
(idleTimeout), application.yml the kebab-case of asyncore's configuration metadata (idle-timeout).
An empty map renders nothing, so a dispatcher without overrides inherits every 'asyncore.channel' value.
Call with (dict "settings" <map> "indent" <spaces>).
*/}}
{{- define "asyncore-demo.channelSettings" -}}
{{- range $key, $value := .settings }}
{{ printf "%s: %s" (kebabcase $key) (quote $value) | indent $.indent }}
{{- end }}
{{- end }}

{{/*
resources.limits.memory in MiB. The schema lets only the Mi and Gi forms through, so that the JVM budget
below compares whole MiB with whole MiB.
*/}}
{{- define "asyncore-demo.memoryLimitMiB" -}}
{{- $limit := toString .Values.resources.limits.memory }}
{{- if hasSuffix "Gi" $limit }}
{{- mul (trimSuffix "Gi" $limit | atoi) 1024 }}
{{- else }}
{{- trimSuffix "Mi" $limit | atoi }}
{{- end }}
{{- end }}

{{/*
A Spring Boot data size (64MB) in bytes. Spring's units are binary: 1KB is 1024 bytes.
*/}}
{{- define "asyncore-demo.bytes" -}}
{{- $units := dict "B" 1 "KB" 1024 "MB" 1048576 "GB" 1073741824 }}
{{- mul (regexFind "^[0-9]+" . | atoi) (get $units (regexFind "[A-Z]+$" .)) }}
{{- end }}

{{/*
JAVA_TOOL_OPTIONS: a flag for every JVM memory area from the jvm values, the fixed flags, then
jvm.extraOptions. Fails the render when the areas with the native headroom do not fit the container's
memory limit, when the loops' output buffers leave less than 16 MiB of direct memory, or when
extraOptions would override a size (the JVM takes the last of repeated flags, so the check would lie).
*/}}
{{- define "asyncore-demo.javaToolOptions" -}}
{{- $jvm := .Values.jvm }}
{{- $memory := toString .Values.resources.limits.memory }}
{{- $limit := include "asyncore-demo.memoryLimitMiB" . | atoi }}
{{- $heap := int $jvm.heapMiB }}
{{- $initialHeap := default $heap (int $jvm.initialHeapMiB) }}
{{- $direct := int $jvm.directMemoryMiB }}
{{- $metaspace := int $jvm.metaspaceMiB }}
{{- $codeCache := int $jvm.codeCacheMiB }}
{{- $stack := int $jvm.threadStackKiB }}
{{- $threads := int $jvm.threads }}
{{- $stacks := div (add (mul $threads $stack) 1023) 1024 }}
{{- $headroom := max 32 (div (add $limit 9) 10) }}
{{- $total := add $heap $direct $metaspace $codeCache $stacks $headroom }}
{{- if gt $total $limit }}
{{- fail (printf "JVM memory does not fit resources.limits.memory (%s = %d MiB): jvm.heapMiB %d + directMemoryMiB %d + metaspaceMiB %d + codeCacheMiB %d + thread stacks %d (threads %d x threadStackKiB %d) + native headroom %d (the larger of 32 MiB and a tenth of the limit) = %d MiB; lower the jvm sizes or raise the limit"
    $memory $limit $heap $direct $metaspace $codeCache $stacks $threads $stack $headroom $total) }}
{{- end }}
{{- if gt $initialHeap $heap }}
{{- fail (printf "jvm.initialHeapMiB (%d) must not exceed jvm.heapMiB (%d)" $initialHeap $heap) }}
{{- end }}
{{- $loop := .Values.asyncore.loop }}
{{- $output := mul $loop.threads (include "asyncore-demo.bytes" $loop.maxOutputMemory) }}
{{- if lt (sub (mul $direct 1048576) $output) (mul 16 1048576) }}
{{- fail (printf "asyncore.loop.threads (%d) x asyncore.loop.maxOutputMemory (%s) leaves less than 16 MiB of jvm.directMemoryMiB (%d) for Tomcat, TLS and the loops' read buffers; raise jvm.directMemoryMiB to at least %d or lower maxOutputMemory"
    (int $loop.threads) $loop.maxOutputMemory $direct (add (div (add $output 1048575) 1048576) 16)) }}
{{- end }}
{{- if regexMatch "(^|\\s)(-Xm[sx]|-Xss|-XX:(MaxHeapSize|InitialHeapSize|MaxDirectMemorySize|MaxMetaspaceSize|ReservedCodeCacheSize|ThreadStackSize|MaxRAM|(Max|Min|Initial)RAMPercentage)=)" $jvm.extraOptions }}
{{- fail "jvm.extraOptions must not size the heap, direct memory, metaspace, code cache or stacks: set jvm.heapMiB, directMemoryMiB, metaspaceMiB, codeCacheMiB or threadStackKiB instead, which the chart checks against the memory limit" }}
{{- end }}
{{- $options := list
    (printf "-Xms%dm" $initialHeap)
    (printf "-Xmx%dm" $heap)
    (printf "-XX:MaxDirectMemorySize=%dm" $direct)
    (printf "-XX:MaxMetaspaceSize=%dm" $metaspace)
    (printf "-XX:ReservedCodeCacheSize=%dm" $codeCache)
    (printf "-Xss%dk" $stack)
    "-XX:+ExitOnOutOfMemoryError"
    "-Djava.io.tmpdir=/tmp"
    "-Duser.home=/tmp" }}
{{- with $jvm.extraOptions }}
{{- $options = append $options . }}
{{- end }}
{{- join " " $options }}
{{- end }}

{{/*
The chart's own Redis (redis.enabled): its Deployment, Service and NetworkPolicy are "<fullname>-redis".
*/}}
{{- define "asyncore-demo.redisName" -}}
{{- printf "%s-redis" (include "asyncore-demo.fullname" . | trunc 57 | trimSuffix "-") }}
{{- end }}

{{/*
Labels that pick the chart's Redis pods. Their app.kubernetes.io/name is "redis", not the chart's, so that no
selector of the demo (its Deployment, Services, PodDisruptionBudget and NetworkPolicies) ever picks them.
*/}}
{{- define "asyncore-demo.redisSelectorLabels" -}}
app.kubernetes.io/name: redis
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: redis
{{- end }}

{{/*
Labels of the chart's Redis objects and pods.
*/}}
{{- define "asyncore-demo.redisLabels" -}}
helm.sh/chart: {{ include "asyncore-demo.chart" . }}
{{ include "asyncore-demo.redisSelectorLabels" . }}
app.kubernetes.io/part-of: {{ include "asyncore-demo.name" . }}
app.kubernetes.io/version: {{ .Values.redis.image.tag | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{/*
Where the pods find Redis with chat.relay redis, as a dict: host, port, database, ssl. From chat.redis.url
(redis://HOST[:PORT][/DATABASE], rediss:// for TLS) or the chart's own Redis. Spring Boot gets these as
spring.data.redis.host, port, database and ssl.enabled rather than spring.data.redis.url, because with a
URL it takes the password from the URL alone and ignores spring.data.redis.password (the Secret's).
The schema checks the URL's form (no credentials, the scheme, host, port and database).
*/}}
{{- define "asyncore-demo.redisConnection" -}}
{{- $url := .Values.chat.redis.url }}
{{- if $url }}
{{- $parsed := urlParse $url }}
{{- $port := regexFind "[0-9]+$" (regexFind ":[0-9]+$" $parsed.host) | default "6379" | atoi }}
{{- $database := trimPrefix "/" $parsed.path | default "0" | atoi }}
{{- toJson (dict "host" $parsed.hostname "port" $port "database" $database "ssl" (eq $parsed.scheme "rediss")) }}
{{- else }}
{{- toJson (dict "host" (include "asyncore-demo.redisName" .) "port" 6379 "database" 0 "ssl" false) }}
{{- end }}
{{- end }}

{{/*
"true" when `helm test` can check that a chat line crosses pods: relay redis and at least two pods for sure
(replicaCount, or autoscaling.minReplicas when the autoscaler owns the count).
*/}}
{{- define "asyncore-demo.relayTest" -}}
{{- if eq .Values.chat.relay "redis" }}
{{- if gt (int (ternary .Values.autoscaling.minReplicas .Values.replicaCount .Values.autoscaling.enabled)) 1 }}true{{ end }}
{{- end }}
{{- end }}
