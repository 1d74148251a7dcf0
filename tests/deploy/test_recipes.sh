#!/bin/bash
# The recipes in deploy/ (ECS task definition, Kubernetes pod manifest,
# Falco sidecar image) parse, and carry the settings the pod test
# (test_pod.sh) proved: the ring folder /run/pdig as the plugin's open
# params (deploy/falco.yaml, which the pod test runs), as PDIG_RING_DIR and
# as the shared volume's mount path in both containers; pdig as the app's
# entrypoint; no capability added to the app; no shared IPC namespace;
# Falco loads only rules files the pod test loaded (Falco's stock
# falco_rules.yaml needs the container plugin: Falco would not start).
# The README's lines for users' images are those the pod test builds with.
. "$(dirname "$0")/../e2e/lib.sh"
TESTS_DEPLOY=$(cd "$(dirname "$0")" && pwd)
SRC=${SOURCE_DIR:-$(cd "$TESTS_DEPLOY/../.." && pwd)}
python3 -c 'import yaml' 2>/dev/null || skip_test "needs python3-yaml (scripts/test.sh installs it)"

python3 - "$SRC" <<'PY'
import json, re, sys, yaml

src = sys.argv[1]
fails = 0
def check(cond, what):
    global fails
    print(("ok: " if cond else "FAIL: ") + what)
    fails += not cond
def read(p):
    return open(f"{src}/{p}").read()

falco = yaml.safe_load(read("deploy/falco.yaml"))
plugin = falco["plugins"][0]
ring = plugin["open_params"]
check(falco["engine"]["kind"] == "nodriver" and falco["load_plugins"] == ["pdig"] and plugin["name"] == "pdig",
      "deploy/falco.yaml: nodriver, the pdig plugin loaded")
pod_test = read("tests/deploy/test_pod.sh")
check(f"-e PDIG_RING_DIR={ring}" in pod_test and pod_test.count(f'"$vol:{ring}"') >= 2,
      f"the pod test runs with PDIG_RING_DIR={ring} and the volume at {ring} in both containers")
check('cp "$SRC/deploy/falco.yaml"' in pod_test, "the pod test runs Falco with deploy/falco.yaml")
# the files the pod test puts into Falco's root: deploy/NAME -> path
proved = {m[1]: m[0] for m in re.findall(r'^cp "\$SRC/deploy/([^"]+)" "\$froot([^"]+)"$', pod_test, re.M)}
rules_dir = re.search(r'^cp "\$TESTS_DEPLOY/rules.yaml" "\$froot(/\S+)/[^/"]+"$', pod_test, re.M)
proved_rules = {p for p, f in proved.items() if f.endswith("rules.yaml")}
def rules_proved(files, who):
    bad = [f for f in files if f not in proved_rules and not (rules_dir and f == rules_dir[1])]
    check(files and not bad and any(f in proved_rules for f in files),
          f"{who}: loads only rules files the pod test loaded ({files}; unproved: {bad})")
rules_proved(falco.get("rules_files", []), "deploy/falco.yaml")
app_cf = read("tests/deploy/app.Containerfile")
copy_line = next(l for l in app_cf.splitlines() if l.startswith("COPY --from="))
entry = json.loads(next(l for l in app_cf.splitlines() if l.startswith("ENTRYPOINT "))[len("ENTRYPOINT "):])
pdig_path = entry[0]
readme = read("README.md")
check(copy_line in readme, f"README gives the pod test's line: {copy_line}")
check(re.search(r'^ENTRYPOINT \["%s", "--", ' % re.escape(pdig_path), readme, re.M) is not None,
      "README wraps the ENTRYPOINT as the pod test does")
sidecar = read("deploy/falco-sidecar.Containerfile")
check(re.search(r"^COPY --from=\S+ \S+ %s$" % re.escape(plugin["library_path"]), sidecar, re.M) is not None,
      f"the sidecar image puts the plugin at {plugin['library_path']}")
for path, name in proved.items():
    check(re.search(r"^COPY %s %s$" % (re.escape(name), re.escape(path)), sidecar, re.M) is not None,
          f"the sidecar image puts deploy/{name} at {path}, as the pod test does")

# ECS Fargate
ecs = json.loads(read("deploy/ecs-task-definition.json"))
ctrs = {c["name"]: c for c in ecs["containerDefinitions"]}
app, fal = ctrs["app"], ctrs["falco"]
def ecs_vol(c):
    return {m["containerPath"]: m["sourceVolume"] for m in c.get("mountPoints", [])}.get(ring)
check("ipcMode" not in ecs, "ECS: no ipcMode (Fargate has none; nothing relies on it)")
check(ecs.get("pidMode") == "task", "ECS: pidMode task (the pod test shares the PID namespace)")
check(ecs_vol(app) and ecs_vol(app) == ecs_vol(fal), f"ECS: one task volume at {ring} in both containers")
check({"name": "PDIG_RING_DIR", "value": ring} in app.get("environment", []), f"ECS: app has PDIG_RING_DIR={ring}")
wait_env = re.search(r'-e PDIG_WAIT_CONSUMER=(\d+) ', pod_test)
check(wait_env is not None, "the pod test starts an app before Falco with PDIG_WAIT_CONSUMER")
wait_s = wait_env[1] if wait_env else None
check({"name": "PDIG_WAIT_CONSUMER", "value": wait_s} in app.get("environment", []),
      f"ECS: the app waits for Falco (PDIG_WAIT_CONSUMER={wait_s})")
check(app.get("entryPoint", [None])[0] == pdig_path, f"ECS: the app's entrypoint is {pdig_path}")
caps = app.get("linuxParameters", {}).get("capabilities", {})
check(not caps.get("add") and caps.get("drop") == ["ALL"] and not app.get("privileged"),
      "ECS: the app adds no capability and drops all")
check(app.get("user") == "65534:65534", "ECS: the app runs as 65534, as in the pod test")
check(ecs.get("runtimePlatform") == {"operatingSystemFamily": "LINUX", "cpuArchitecture": "X86_64"},
      "ECS: runtimePlatform LINUX/X86_64 (pdig is an x86-64 binary)")
falco_drops_all = re.search(r'--name "\$POD-falco" --cap-drop=all ', pod_test) is not None
check(falco_drops_all, "the pod test runs Falco with every capability dropped")
fcaps = fal.get("linuxParameters", {}).get("capabilities", {})
check(falco_drops_all and not fcaps.get("add") and fcaps.get("drop") == ["ALL"] and not fal.get("privileged"),
      "ECS: Falco adds no capability and drops all, as in the pod test")
falco_argv = ["-c", "/etc/falco/falco.yaml", "-U"]
check(fal.get("entryPoint") == ["/usr/bin/falco"] and fal.get("command") == falco_argv,
      "ECS: Falco is the entrypoint (not the image's script) and runs with its config and unbuffered alerts (-U), as in the pod test")
check(re.search(r'^ENTRYPOINT \["/usr/bin/falco"\]$', sidecar, re.M) is not None and
      re.search(r'^CMD %s$' % re.escape(json.dumps(falco_argv)), sidecar, re.M) is not None,
      "the sidecar image's ENTRYPOINT is Falco itself, with the pod test's arguments")

# Kubernetes (EKS Fargate)
docs = list(yaml.safe_load_all(read("deploy/k8s-pod.yaml")))
cm = next(d for d in docs if d["kind"] == "ConfigMap")
pod = next(d for d in docs if d["kind"] == "Pod")
kconf = yaml.safe_load(next(iter(cm["data"].values())))
rules_proved(kconf.get("rules_files", []), "k8s ConfigMap")
for key in ("engine", "plugins", "load_plugins"):
    check(kconf[key] == falco[key], f"k8s: the ConfigMap's {key} is deploy/falco.yaml's")
spec = pod["spec"]
kc = {c["name"]: c for c in spec["containers"]}
kapp, kfal = kc["app"], kc["falco"]
def k8s_vol(c):
    return {m["mountPath"]: m["name"] for m in c.get("volumeMounts", [])}.get(ring)
check(not spec.get("hostIPC") and not spec.get("hostPID"), "k8s: no host IPC or PID namespace")
check(spec.get("shareProcessNamespace") is True, "k8s: shareProcessNamespace (the pod test shares the PID namespace)")
vols = {v["name"]: v for v in spec["volumes"]}
check(k8s_vol(kapp) and k8s_vol(kapp) == k8s_vol(kfal) and "emptyDir" in vols[k8s_vol(kapp)],
      f"k8s: one emptyDir at {ring} in both containers")
check({"name": "PDIG_RING_DIR", "value": ring} in kapp.get("env", []), f"k8s: app has PDIG_RING_DIR={ring}")
check({"name": "PDIG_WAIT_CONSUMER", "value": wait_s} in kapp.get("env", []),
      f"k8s: the app waits for Falco (PDIG_WAIT_CONSUMER={wait_s})")
check(kapp.get("command", [None])[0] == pdig_path, f"k8s: the app's command is {pdig_path}")
sc = kapp.get("securityContext", {})
check(not sc.get("capabilities", {}).get("add") and sc.get("capabilities", {}).get("drop") == ["ALL"]
      and not sc.get("privileged"), "k8s: the app adds no capability and drops all")
check(sc.get("seccompProfile", {}).get("type") == "RuntimeDefault", "k8s: the runtime's default seccomp profile")
fsc = kfal.get("securityContext", {})
check(falco_drops_all and not fsc.get("capabilities", {}).get("add") and fsc.get("capabilities", {}).get("drop") == ["ALL"]
      and not fsc.get("privileged"), "k8s: Falco adds no capability and drops all, as in the pod test")
conf_dir = {m["name"]: m["mountPath"] for m in kfal["volumeMounts"]}.get("falco-config")
check(conf_dir and kfal["command"][kfal["command"].index("-c") + 1].startswith(conf_dir + "/")
      and kfal["command"][-1] == "-U", "k8s: Falco reads the ConfigMap's config, alerts unbuffered (-U)")
check('falco.yaml -U' in pod_test, "the pod test runs Falco with -U")
print(f"---- {fails} failure(s)" if fails else "---- all recipe checks passed")
sys.exit(1 if fails else 0)
PY
