{{/* The chart name, or nameOverride. */}}
{{- define "clip-age-predictor.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* The release's full name, used for every object; Kubernetes names stop at 63 characters. */}}
{{- define "clip-age-predictor.fullname" -}}
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

{{- define "clip-age-predictor.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "clip-age-predictor.selectorLabels" -}}
app.kubernetes.io/name: {{ include "clip-age-predictor.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "clip-age-predictor.labels" -}}
helm.sh/chart: {{ include "clip-age-predictor.chart" . }}
{{ include "clip-age-predictor.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "clip-age-predictor.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "clip-age-predictor.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* The image reference: the CUDA image (tag suffix) when gpu.enabled is true. */}}
{{- define "clip-age-predictor.image" -}}
{{- $tag := default .Chart.AppVersion .Values.image.tag }}
{{- if .Values.gpu.enabled }}
{{- $tag = printf "%s%s" $tag .Values.gpu.imageTagSuffix }}
{{- end }}
{{- printf "%s:%s" .Values.image.repository $tag }}
{{- end }}

{{- define "clip-age-predictor.device" -}}
{{- if .Values.model.device }}
{{- .Values.model.device }}
{{- else if .Values.gpu.enabled }}
{{- "gpu" }}
{{- else }}
{{- "cpu" }}
{{- end }}
{{- end }}

{{/* Whether the init container fetches the model: not for a local path or a baked image. */}}
{{- define "clip-age-predictor.fetchEnabled" -}}
{{- if and .Values.fetch.enabled (not .Values.model.path) (ne .Values.cache.type "image") (ne .Values.model.id "demo") }}true{{ end }}
{{- end }}

{{/* Whether the service container must find the model without downloading it. */}}
{{- define "clip-age-predictor.serviceOffline" -}}
{{- if or .Values.hub.offline (include "clip-age-predictor.fetchEnabled" .) (eq .Values.cache.type "image") }}true{{ end }}
{{- end }}

{{/*
Environment shared by the fetch init container and the service container, so that both resolve
the same model in the same cache.
*/}}
{{- define "clip-age-predictor.modelEnv" -}}
- name: AGE_MODEL_ID
  value: {{ .Values.model.id | quote }}
- name: AGE_MODEL_REVISION
  value: {{ .Values.model.revision | quote }}
{{- with .Values.model.path }}
- name: AGE_MODEL_PATH
  value: {{ . | quote }}
{{- end }}
{{- if ne .Values.cache.type "image" }}
- name: HF_HOME
  value: /var/cache/huggingface
{{- end }}
{{- with .Values.hub.endpoint }}
- name: HF_ENDPOINT
  value: {{ . | quote }}
{{- end }}
{{- if .Values.hub.tokenSecret.name }}
- name: HF_TOKEN
  valueFrom:
    secretKeyRef:
      name: {{ .Values.hub.tokenSecret.name }}
      key: {{ .Values.hub.tokenSecret.key }}
{{- end }}
- name: TMPDIR
  value: /tmp
{{- end }}

{{/* The volume that holds the Hugging Face cache, absent when the model is baked into the image. */}}
{{- define "clip-age-predictor.cacheVolume" -}}
{{- if eq .Values.cache.type "emptyDir" }}
- name: hf-cache
  emptyDir:
    sizeLimit: {{ .Values.cache.emptyDir.sizeLimit }}
{{- else if eq .Values.cache.type "persistentVolumeClaim" }}
- name: hf-cache
  persistentVolumeClaim:
    claimName: {{ include "clip-age-predictor.fullname" . }}-hf-cache
{{- else if eq .Values.cache.type "existingClaim" }}
- name: hf-cache
  persistentVolumeClaim:
    claimName: {{ required "cache.existingClaim is required when cache.type is existingClaim" .Values.cache.existingClaim }}
{{- end }}
{{- end }}
