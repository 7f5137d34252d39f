// Command check renders kustomizations with the kustomize library (sigs.k8s.io/kustomize/api, what
// `kustomize build` and `kubectl kustomize` run) and decodes every object strictly into its
// Kubernetes API type (k8s.io/api; the Prometheus Operator's types for ServiceMonitor): an unknown or
// duplicate field, a wrong value type or a kind without a known type fails. It prints one JSON object
// per kustomization: its directory and the rendered objects, for the deploy project's tests.
//
//	go run . ../k8s/overlays/local ../k8s/overlays/production
package main

import (
	"encoding/json"
	"fmt"
	"os"

	monitoringv1 "github.com/prometheus-operator/prometheus-operator/pkg/apis/monitoring/v1"
	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
	"sigs.k8s.io/yaml"
)

// types maps apiVersion/kind to a new value of its Go type. A kind that is not here fails: add its
// type when a manifest starts using it.
var types = map[string]func() any{
	"v1/Namespace":                            func() any { return &corev1.Namespace{} },
	"v1/ConfigMap":                            func() any { return &corev1.ConfigMap{} },
	"v1/Secret":                               func() any { return &corev1.Secret{} },
	"v1/Service":                              func() any { return &corev1.Service{} },
	"v1/ServiceAccount":                       func() any { return &corev1.ServiceAccount{} },
	"v1/PersistentVolumeClaim":                func() any { return &corev1.PersistentVolumeClaim{} },
	"apps/v1/Deployment":                      func() any { return &appsv1.Deployment{} },
	"apps/v1/StatefulSet":                     func() any { return &appsv1.StatefulSet{} },
	"batch/v1/Job":                            func() any { return &batchv1.Job{} },
	"batch/v1/CronJob":                        func() any { return &batchv1.CronJob{} },
	"autoscaling/v2/HorizontalPodAutoscaler":  func() any { return &autoscalingv2.HorizontalPodAutoscaler{} },
	"policy/v1/PodDisruptionBudget":           func() any { return &policyv1.PodDisruptionBudget{} },
	"networking.k8s.io/v1/NetworkPolicy":      func() any { return &networkingv1.NetworkPolicy{} },
	"networking.k8s.io/v1/Ingress":            func() any { return &networkingv1.Ingress{} },
	"monitoring.coreos.com/v1/ServiceMonitor": func() any { return &monitoringv1.ServiceMonitor{} },
}

type rendered struct {
	Dir     string           `json:"dir"`
	Objects []map[string]any `json:"objects"`
}

func render(dir string) (rendered, error) {
	out := rendered{Dir: dir, Objects: []map[string]any{}}
	resources, err := krusty.MakeKustomizer(krusty.MakeDefaultOptions()).Run(filesys.MakeFsOnDisk(), dir)
	if err != nil {
		return out, fmt.Errorf("%s: kustomize: %w", dir, err)
	}
	for _, resource := range resources.Resources() {
		text, err := resource.AsYAML()
		if err != nil {
			return out, fmt.Errorf("%s: %s: %w", dir, resource.CurId(), err)
		}
		gvk := resource.GetGvk()
		key := gvk.ApiVersion() + "/" + gvk.Kind
		newValue, known := types[key]
		if !known {
			return out, fmt.Errorf("%s: %s/%s: no Kubernetes type known for %s", dir, gvk.Kind, resource.GetName(), key)
		}
		// Strict: unknown and duplicate fields are errors (encoding/json DisallowUnknownFields).
		if err := yaml.UnmarshalStrict(text, newValue()); err != nil {
			return out, fmt.Errorf("%s: %s/%s does not decode strictly as %s: %w", dir, gvk.Kind, resource.GetName(), key, err)
		}
		object := map[string]any{}
		if err := yaml.Unmarshal(text, &object); err != nil {
			return out, fmt.Errorf("%s: %s/%s: %w", dir, gvk.Kind, resource.GetName(), err)
		}
		out.Objects = append(out.Objects, object)
	}
	return out, nil
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: check <kustomization dir>...")
		os.Exit(2)
	}
	encoder := json.NewEncoder(os.Stdout)
	for _, dir := range os.Args[1:] {
		result, err := render(dir)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		if err := encoder.Encode(result); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}
