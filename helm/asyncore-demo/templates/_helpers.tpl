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
