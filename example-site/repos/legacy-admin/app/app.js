angular.module('adminApp', ['ngRoute'])
  .config(['$routeProvider', function ($routeProvider) {
    $routeProvider.when('/orders', { templateUrl: 'orders.html', controller: 'OrdersCtrl' });
  }]);
