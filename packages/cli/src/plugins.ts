// Every plugin of the repo, imported for its side effect (registering itself), like go-micro's
// cmd/micro/plugins.go: `--registry=etcd`, `--broker=kafka`, `--transport=nats` and
// `--content-type=application/msgpack` just work, and `micro --help` lists every plugin's flags.
import "@micro/defaults";
import "@micro/registry-etcd";
import "@micro/registry-nats";
import "@micro/registry-consul";
import "@micro/registry-k8s";
import "@micro/broker-nats";
import "@micro/broker-kafka";
import "@micro/broker-rabbitmq";
import "@micro/transport-nats";
import "@micro/codec-bson";
import "@micro/codec-grpc";
import "@micro/codec-jsonrpc";
import "@micro/codec-msgpack";
import "@micro/codec-protorpc";
