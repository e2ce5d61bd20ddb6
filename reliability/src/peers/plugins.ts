// The plugins the chaos peers choose by name, imported so they are registered whatever the
// resolution of package names from this process's working directory would find.
import "@micro/broker-memory";
import "@micro/codec-json";
import "@micro/registry-consul";
import "@micro/registry-etcd";
import "@micro/registry-nats";
import "@micro/selector";
import "@micro/transport-http";
