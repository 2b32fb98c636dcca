"""Deployments past one machine: the Kubernetes code location (``k8s.py``) and its config."""
