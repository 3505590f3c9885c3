def call(Map args) {
    sh "helm upgrade --install ${args.service} ./chart --namespace ${args.namespace}"
}
